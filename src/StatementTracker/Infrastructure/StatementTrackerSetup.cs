using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StatementTracker.Admin;
using StatementTracker.Alerts;
using StatementTracker.Operations;
using StatementTracker.Operations.Http;
using StatementTracker.Positions;
using StatementTracker.Security;
using StatementTracker.Statements;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace StatementTracker.Infrastructure;

/// <summary>Registers the whole service: Marten, Wolverine, validation. Program.cs stays short.</summary>
public static class StatementTrackerSetup
{
    public const string ConnectionStringName = "StatementTracker";

    public static IServiceCollection AddStatementTracker(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddValidatorsFromAssemblyContaining(typeof(StatementTrackerSetup), ServiceLifetime.Singleton, includeInternalTypes: false);

        var autoCreate = SchemaChanges(configuration);
        var marten = services.AddMarten(_ =>
            {
                var options = new StoreOptions();
                options.ConfigureStore(ConnectionString(configuration));
                options.AutoCreateSchemaObjects = autoCreate;
                return options;
            })
            .UseLightweightSessions()
            // Wolverine runs each async projection on exactly one node of the cluster, and moves it when
            // that node dies.
            .IntegrateWithWolverine(wolverine => wolverine.UseWolverineManagedEventSubscriptionDistribution = true);
        // Where schema changes at start-up are allowed, every table exists before the first request.
        if (autoCreate != AutoCreate.None) marten.ApplyAllDatabaseChangesOnStartup();

        services.AddStatements(configuration);
        services.AddAdmin(configuration);
        services.AddAlerts(configuration);
        services.AddSecurity(configuration);
        services.AddWolverineHttp();
        services.AddErrorResponses();
        services.AddStatementTrackerCompression();
        services.AddRequestLimits(configuration);
        services.AddSingleton<KeptAnswers>();
        services.AddStatementTrackerHealth(configuration);
        Operations.ApiDescription.ApiDocument.AddApiDocument(services);
        Operations.Observability.AddObservability(services, configuration);
        // The host waits for Wolverine to drain, plus a margin for the web server and the store to close.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = DrainTimeout(configuration) + ShutdownMargin);
        return services;
    }

    /// <summary>
    /// Every error answers with an RFC 9457 problem, never a stack trace: unhandled exceptions become a
    /// bare 500 problem, and empty 4xx answers (unknown route, wrong method) get a problem body.
    /// </summary>
    public static void UseStatementTrackerErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }

    /// <summary>
    /// HTTP as clients expect it. HEAD is turned into GET before routing (endpoints declare GET only), so
    /// this replaces the implicit routing step; compression wraps every answer after the error handler.
    /// </summary>
    public static void UseStatementTrackerHttp(this WebApplication app)
    {
        app.UseHeadAsGet();
        app.UseRouting();
        app.UseResponseCompression();
    }

    /// <summary>Where the caller is (behind configured proxies), who, how much they may send and how often, then what they may do.</summary>
    public static void UseStatementTrackerSecurity(this IApplicationBuilder app)
    {
        app.UseConfiguredForwarding(app.ApplicationServices.GetRequiredService<IConfiguration>());
        app.UseQueryStringCredentialRefusal();
        app.UseAuthentication();
        app.UseRequestLimits();
        app.UseAuthorization();
        // After authorization: a 304 tells the caller something about the resource too.
        app.UseHttpCaching();
    }

    /// <summary>
    /// Whether the service may create or change schema objects itself (<c>Database:AutoCreate</c>: None, the
    /// default, CreateOnly, CreateOrUpdate or All). By default it changes nothing: <c>db-apply</c> does, run
    /// with a role that may.
    /// </summary>
    public static AutoCreate SchemaChanges(IConfiguration configuration) => configuration.GetValue("Database:AutoCreate", AutoCreate.None);

    /// <summary>The event store as the service uses it; also for tools that write to it directly (the benchmark).</summary>
    public static void ConfigureStore(this StoreOptions options, string connectionString)
    {
        options.Connection(connectionString);
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.Events.AppendMode = EventAppendMode.Rich;
        options.Events.TimeProvider = new MicrosecondClock(TimeProvider.System);
        // Wake the async daemon on appends instead of waiting for its next poll.
        options.UseSpacedWakeups(connectionString);
        options.Events.EnableExtendedProgressionTracking = true;
        options.AddStatements();
        options.AddPositions();
        options.AddAlerts();
        Importing.Configuration.AddImports(options);
        options.AddAdmin();
    }

    /// <summary>Where <c>codegen write</c> puts the generated endpoint and handler code, relative to the host project.</summary>
    public const string GeneratedCodeFolder = "../StatementTracker/Internal/Generated";

    /// <summary>
    /// How long a stopping node lets messages in flight (alert deliveries, imports) finish
    /// (<c>Shutdown:DrainSeconds</c>, 30, Wolverine's default). A cluster's termination grace period must exceed
    /// it plus <see cref="ShutdownMargin"/> and any preStop pause, or the node is killed mid-drain.
    /// </summary>
    public static TimeSpan DrainTimeout(IConfiguration configuration) =>
        TimeSpan.FromSeconds(configuration.GetValue("Shutdown:DrainSeconds", 30.0));

    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(5);

    public static void UseStatementTracker(this WolverineOptions options, IConfiguration configuration)
    {
        options.Durability.DrainTimeout = DrainTimeout(configuration);
        options.ApplicationAssembly = typeof(StatementTrackerSetup).Assembly;
        // Endpoints and handlers run from code generated ahead of time and compiled into this assembly: no
        // compiler at start-up. `dotnet run --project src/StatementTracker.Host -- codegen write` regenerates
        // it, and a test fails when it is stale. CodeGeneration:Mode=Dynamic compiles at run time instead.
        options.CodeGeneration.TypeLoadMode = configuration.GetValue("CodeGeneration:Mode", TypeLoadMode.Static);
        options.CodeGeneration.GeneratedCodeOutputPath = configuration["CodeGeneration:OutputPath"] ?? GeneratedCodeFolder;
        options.AutoBuildMessageStorageOnStartup = SchemaChanges(configuration);
        options.UseAlerts();
        Importing.Configuration.UseImports(options);

        // Nodes beat every HeartbeatSeconds; one silent for StaleNodeSeconds is taken for dead and its
        // projections move to a live node (well within 30 s by default).
        var cluster = configuration.GetSection("Cluster");
        options.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(cluster.GetValue("HeartbeatSeconds", 2.0));
        options.Durability.FirstHealthCheckExecution = TimeSpan.FromSeconds(1);
        options.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(cluster.GetValue("StaleNodeSeconds", 10.0));
        // How soon a projection agent stopped by an error (a database outage) is started again.
        options.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(cluster.GetValue("AgentCheckSeconds", 5.0));
    }

    public static void MapStatementTracker(this WolverineHttpOptions options)
    {
        options.AddParameterHandlingStrategy(new StrictJsonBodyStrategy());
        // The endpoints' code is generated ahead of time: each is ready on its first request, so start-up builds none.
        options.WarmUpRoutes = RouteWarmup.Lazy;
    }

    /// <summary>
    /// The configured connection string, with a short connect timeout so that requests fail fast (503)
    /// while the database is down instead of hanging, statements prepared automatically, and a server-side limit on every statement
    /// (<c>Database:StatementTimeoutSeconds</c>, 15 by default) so no query holds a connection for long.
    /// Bulk work (imports, rebuilds) lifts the limit on its own connections.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        if (configuration.GetConnectionString(ConnectionStringName) is not { Length: > 0 } configured)
            throw new InvalidOperationException(
                $"No database configured: set ConnectionStrings:{ConnectionStringName} (environment variable ConnectionStrings__{ConnectionStringName}).");
        var builder = new NpgsqlConnectionStringBuilder(configured);
        builder.Timeout = Math.Min(builder.Timeout, 3);
        // Statements the service runs again and again are prepared once per connection. A connection that
        // holds prepared statements is also reset without DISCARD ALL when it goes back to the pool, so the
        // plans of the projection's function survive from one batch to the next.
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 100;
        // Every execution is planned for its own parameters. After five runs of a prepared statement PostgreSQL may
        // switch to one generic plan for all parameters: for the daemon's read of the next events that plan hashed
        // the whole stream table (326 ms a page instead of 11 ms), and for a country's reads it would be the same
        // plan for JPN's 100,000 rows as for a country with ten.
        builder.Options = $"{builder.Options} -c plan_cache_mode=force_custom_plan".Trim();
        // No JIT compilation of the service's queries: they are short index walks, but a read with lateral joins
        // over a country's topics is estimated above PostgreSQL's JIT threshold, and compiling it took 62 ms of a
        // 122 ms read (the country summary at a past date on 1,000,000 statements; 35 ms without). Bulk work
        // keeps PostgreSQL's default (OpenForBulkWorkAsync).
        builder.Options = $"{builder.Options} -c jit=off".Trim();
        var statementTimeout = configuration.GetValue("Database:StatementTimeoutSeconds", 15);
        if (statementTimeout > 0) builder.Options = $"{builder.Options} -c statement_timeout={statementTimeout * 1000}".Trim();
        return builder.ConnectionString;
    }

    /// <summary>
    /// For bulk work on a connection of its own, for the rest of the session: no statement time limit, and JIT
    /// compilation on, PostgreSQL's default (rebuilds over 1,000,000 statements took as long without it).
    /// </summary>
    public const string BulkWorkSettings = "set statement_timeout = 0; set jit = on";

    /// <summary>An open connection of its own for bulk work (imports, exports, rebuilds), with <see cref="BulkWorkSettings"/>.</summary>
    public static async Task<Npgsql.NpgsqlConnection> OpenForBulkWorkAsync(this Marten.IDocumentStore store, CancellationToken cancellation)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var settings = new Npgsql.NpgsqlCommand(BulkWorkSettings, connection);
        await settings.ExecuteNonQueryAsync(cancellation);
        return connection;
    }
}
