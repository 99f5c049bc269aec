using JasperFx.Events;
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

    /// <summary>The stored names of the statement events: part of the data, so never changed, only added to.</summary>
    public static readonly IReadOnlyDictionary<string, Type> EventNames = new Dictionary<string, Type>
    {
        ["statement_recorded"] = typeof(StatementRecorded),
        ["statement_corrected"] = typeof(StatementCorrected),
        ["source_added"] = typeof(SourceAdded),
        ["statement_retracted"] = typeof(StatementRetracted),
    };

    /// <summary>An event's data wrapped as an event, as projections receive it (metadata to be set).</summary>
    public static IEvent Wrap(object data) => data switch
    {
        StatementRecorded e => new Event<StatementRecorded>(e),
        StatementCorrected e => new Event<StatementCorrected>(e),
        SourceAdded e => new Event<SourceAdded>(e),
        StatementRetracted e => new Event<StatementRetracted>(e),
        _ => throw new ArgumentException($"Not a statement event: {data.GetType().Name}"),
    };

    public static void AddStatements(this StoreOptions options)
    {
        foreach (var (name, type) in EventNames) options.Events.MapEventType(type, name);

        // The document is read by id; the list filters and sorts on its own small table.
        options.Projections.Snapshot<Statement>(SnapshotLifecycle.Inline);
        options.Storage.ExtendedSchemaObjects.Add(StatementListTable.Define(options.DatabaseSchemaName));
        options.Projections.Add(new StatementListProjection(options.DatabaseSchemaName), ProjectionLifecycle.Inline, StatementListProjection.ProjectionName,
            rebuild => rebuild.DeleteDataInTableOnTeardown(StatementListTable.QualifiedName(options.DatabaseSchemaName)));
    }
}
