using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StatementTracker.Operations;

/// <summary>Body size (413) and per-caller rate (429) limits, both answered as problems.</summary>
public static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(LimitOptions.Section);
        services.Configure<LimitOptions>(section);
        var limits = section.Get<LimitOptions>() ?? new LimitOptions();

        services.AddRateLimiter(rateLimiting =>
        {
            rateLimiting.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                limits.Burst <= 0
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.Burst,
                        TokensPerPeriod = Math.Max(1, limits.RequestsPerSecond),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            rateLimiting.OnRejected = async (rejected, cancellation) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests.",
                    Detail = $"At most {limits.RequestsPerSecond} requests per second per caller (bursts up to {limits.Burst}); retry after {retryAfter} s.",
                }).ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    /// <summary>After authentication: limits are per caller.</summary>
    public static void UseRequestLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            var limits = context.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value;
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<TakesBatchesAttribute>() is null ? limits.MaxRequestBodyBytes : limits.MaxBatchBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await TooLarge(context, limit);
                return;
            }
            // Bodies without a Content-Length are cut off by the server at the same size.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = limit;
            await next(context);
        });
        app.UseRateLimiter();
    }

    /// <summary>
    /// Takes <paramref name="weight"/> more of the caller's allowance, for a request that stands for that many
    /// (a batch): null when allowed, else the 429 answer. The request itself already took one.
    /// </summary>
    public static IResult? RefuseExtraWeight(HttpContext context, int weight)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value;
        if (limits.Burst <= 0 || weight <= 0) return null;
        var limiter = context.RequestServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        using var lease = limiter.AttemptAcquire(context, Math.Min(weight, limits.Burst));
        if (lease.IsAcquired) return null;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
            Detail = $"A batch weighs as many requests as it holds statements; this one ({weight + 1}) is over your allowance of " +
                     $"{limits.RequestsPerSecond} per second (bursts up to {limits.Burst}). Retry after {retryAfter} s, or send smaller batches.",
        });
    }

    public static Task TooLarge(HttpContext context, long limit) =>
        Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "The request body is too large.",
            Detail = $"Request bodies may hold at most {limit} bytes.",
        }).ExecuteAsync(context);

    private static string CallerOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? $"caller:{name}"
            : $"address:{context.Connection.RemoteIpAddress}";
}

/// <summary>Marks an endpoint that takes many statements at once: its body may be up to <see cref="LimitOptions.MaxBatchBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TakesBatchesAttribute : Attribute;
