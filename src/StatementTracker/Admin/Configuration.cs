using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace StatementTracker.Admin;

/// <summary>The admin module: projection rebuilds, their record, and bulk catch-up of projections far behind.</summary>
public static class Configuration
{
    public static void AddAdmin(this StoreOptions options) =>
        options.Storage.ExtendedSchemaObjects.Add(ProjectionRebuildsTable.Define(options.DatabaseSchemaName));

    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BulkCatchUpOptions>(configuration.GetSection(BulkCatchUpOptions.Section));
        services.AddSingleton<ProjectionRebuilds>();
        return services.AddHostedService<BulkCatchUp>();
    }
}
