using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StatementTracker.Security;

namespace StatementTracker.Operations;

/// <summary>
/// OpenTelemetry: traces of ASP.NET Core, outgoing HTTP (alerts), Npgsql, Marten and Wolverine, and metrics
/// (HTTP request durations by route and status, the service's own, the runtime's). Both go out by OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; metrics are also on a Prometheus scrape endpoint, <c>/metrics</c>:
/// admin-only on the service's port, or anonymous on a separate management port (<c>Management__Port</c>) that
/// is meant to stay inside the cluster.
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        Telemetry.Touch();
        // JSON logs (Logging__Console__FormatterName=json) carry each entry's trace and span ids in its scopes.
        services.Configure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(options => options.IncludeScopes = true);
        services.Configure<Microsoft.Extensions.Logging.LoggerFactoryOptions>(options =>
            options.ActivityTrackingOptions = Microsoft.Extensions.Logging.ActivityTrackingOptions.TraceId | Microsoft.Extensions.Logging.ActivityTrackingOptions.SpanId);
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddHostedService<ProjectionSampler>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("statementtracker"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = context => context.Request.Path != MetricsPath)
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource("Marten", "Wolverine");
                if (otlp) tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(Telemetry.MeterName, "Wolverine", "Marten", "Npgsql")
                    .AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        return services;
    }

    /// <summary>The management port, when one is configured: metrics and health details answer there, to anyone who reaches it.</summary>
    public static int? ManagementPort(IConfiguration configuration) => configuration.GetValue<int?>("Management:Port");

    public static void MapObservability(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        var scrape = endpoints.MapPrometheusScrapingEndpoint(MetricsPath)
            .WithMetadata(new Microsoft.AspNetCore.Routing.HttpMethodMetadata([Microsoft.AspNetCore.Http.HttpMethods.Get, Microsoft.AspNetCore.Http.HttpMethods.Head]));
        if (ManagementPort(configuration) is { } port) scrape.RequireHost($"*:{port}").AllowAnonymous();
        else scrape.RequireAuthorization(Policies.Admin);
    }

    /// <summary>Listens on the management port too, when one is configured.</summary>
    public static void UseManagementPort(this IWebHostBuilder web, IConfiguration configuration)
    {
        if (ManagementPort(configuration) is not { } port) return;
        var urls = configuration["ASPNETCORE_URLS"] ?? configuration["urls"] ?? "http://localhost:5000";
        web.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), $"http://*:{port}"]);
    }
}
