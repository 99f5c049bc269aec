using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace StatementTracker.Admin;

/// <summary>The admin module: projection rebuilds and their record.</summary>
public static class Configuration
{
    public static void AddAdmin(this StoreOptions options) =>
        options.Storage.ExtendedSchemaObjects.Add(ProjectionRebuildsTable.Define(options.DatabaseSchemaName));

    public static IServiceCollection AddAdmin(this IServiceCollection services) =>
        services.AddSingleton<ProjectionRebuilds>();
}
