using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StatementTracker.Statements.Listing;
using StatementTracker.Statements.Recording;

namespace StatementTracker.Statements;

/// <summary>The statements module's registration: stable event names, the statement document, the group-commit writer.</summary>
public static class Configuration
{
    public static IServiceCollection AddStatements(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WriteOptions>(configuration.GetSection(WriteOptions.Section));
        services.AddSingleton<StatementWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<StatementWriter>());
        return services;
    }

    public static void AddStatements(this StoreOptions options)
    {
        // Stored event names are part of the data: never change them, add new ones instead.
        options.Events.MapEventType<StatementRecorded>("statement_recorded");
        options.Events.MapEventType<StatementCorrected>("statement_corrected");
        options.Events.MapEventType<SourceAdded>("source_added");
        options.Events.MapEventType<StatementRetracted>("statement_retracted");

        // The document is read by id; the list filters and sorts on its own small table.
        options.Projections.Snapshot<Statement>(SnapshotLifecycle.Inline);
        options.Storage.ExtendedSchemaObjects.Add(StatementListTable.Define(options.DatabaseSchemaName));
        options.Projections.Add(new StatementListProjection(options.DatabaseSchemaName), ProjectionLifecycle.Inline, StatementListProjection.ProjectionName,
            rebuild => rebuild.DeleteDataInTableOnTeardown(StatementListTable.QualifiedName(options.DatabaseSchemaName)));
    }
}
