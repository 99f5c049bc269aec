using System.Text.Json;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using StatementTracker.Infrastructure;

namespace StatementTracker.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers, the async
/// projections run (on this node or another), and none lags more than <see cref="HealthOptions.MaxProjectionLag"/>.
/// </summary>
public static class HealthChecks
{
    private const string Ready = "ready";

    /// <summary>The probe paths; the container's HEALTHCHECK and the cluster manifests name them (a test checks).</summary>
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IServiceCollection AddStatementTrackerHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HealthOptions>(configuration.GetSection(HealthOptions.Section));
        var options = configuration.GetSection(HealthOptions.Section).Get<HealthOptions>() ?? new HealthOptions();
        services.AddSingleton(new CachedReadiness(TimeSpan.FromSeconds(options.CacheSeconds)));
        services.AddTransient<DatabaseCheck>();
        services.AddTransient<ProjectionsCheck>();
        services.AddHealthChecks()
            .AddCheck<CachedCheck<DatabaseCheck>>("database", tags: [Ready])
            .AddCheck<CachedCheck<ProjectionsCheck>>("projections", tags: [Ready]);
        return services;
    }

    public static void MapStatementTrackerHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).AllowAnonymous().DisableRateLimiting();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).AllowAnonymous().DisableRateLimiting();
    }

    /// <summary>
    /// The status for anyone; each check with its description (projection names, lag) only for an <c>admin</c>, or
    /// on the management port (<c>Management__Port</c>, kept inside the cluster): the probe is anonymous, and the
    /// details say more about the service than an outsider needs.
    /// </summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var management = Observability.ManagementPort(context.RequestServices.GetRequiredService<IConfiguration>());
        var internalCaller = management is { } port && context.Connection.LocalPort == port;
        object answer = context.User.IsInRole(Security.Roles.Admin) || internalCaller
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    entry => entry.Key,
                    entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
            }
            : new { status = report.Status.ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(answer, JsonSerializerOptions.Web));
    }

    internal sealed class DatabaseCheck(IDocumentStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await using var connection = store.Storage.Database.CreateConnection();
                await connection.OpenAsync(timeout.Token);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy("PostgreSQL answers.");
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
            }
        }
    }

    internal sealed class ProjectionsCheck(IDocumentStore store, IOptions<HealthOptions> options) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
        {
            IReadOnlyList<ShardState> progress;
            long highWaterMark;
            try
            {
                progress = await store.Advanced.AllProjectionProgress(token: cancellation);
                await using var session = store.QuerySession();
                highWaterMark = await EventStoreHead.LastSequenceAsync(session, cancellation);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return HealthCheckResult.Unhealthy("Projection progress cannot be read.");
            }

            var problems = new List<string>();
            foreach (var projection in store.Options.Events.Projections().Where(p => p.Lifecycle == ProjectionLifecycle.Async))
            {
                var shard = progress.FirstOrDefault(p => p.ShardName == $"{projection.Name}:All");
                var lag = highWaterMark - (shard?.Sequence ?? 0);
                if (shard?.AgentStatus is { } status && !status.Equals("Running", StringComparison.OrdinalIgnoreCase))
                    problems.Add($"{projection.Name} is {status.ToLowerInvariant()}");
                else if (lag > options.Value.MaxProjectionLag)
                    problems.Add($"{projection.Name} is {lag} events behind (at most {options.Value.MaxProjectionLag})");
            }
            return problems.Count == 0
                ? HealthCheckResult.Healthy($"Async projections are running and at most {options.Value.MaxProjectionLag} events behind.")
                : HealthCheckResult.Unhealthy(string.Join("; ", problems) + ".");
        }
    }
}
