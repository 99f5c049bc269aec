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
            rateLimiting.AddPolicy(HeavyReads.Policy, new HeavyReads(limits));
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
            var metadata = context.GetEndpoint()?.Metadata;
            var limit = metadata?.GetMetadata<TakesFilesAttribute>() is not null ? limits.MaxImportBodyBytes
                : metadata?.GetMetadata<TakesBatchesAttribute>() is not null ? limits.MaxBatchBodyBytes
                : limits.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await TooLarge(context, limit);
                return;
            }
            // Bodies without a Content-Length are cut off by the server at the same size.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = limit;
            if (context.Request.ContentLength is null) context.Request.Body = new BodyLimitStream(context.Request.Body, limit);
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

    private static string CallerOf(HttpContext context) => PartitionOf(context.User, context.Connection.RemoteIpAddress);

    /// <summary>
    /// Whose allowance a request takes: an authenticated caller's stable identity (never a display name two
    /// callers could share); else the address, an IPv4 address as it is and an IPv6 one by its /64 network,
    /// since one subscriber commonly holds a whole /64 and could otherwise take a fresh allowance per address.
    /// </summary>
    public static string PartitionOf(System.Security.Claims.ClaimsPrincipal? user, System.Net.IPAddress? address)
    {
        if (user?.Identity is { IsAuthenticated: true } && Infrastructure.Actors.IdOf(user) is var actor && actor != Infrastructure.Actors.Anonymous)
            return $"caller:{actor}";
        if (address is null) return "address:";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return $"address:{address}";
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"address:{new System.Net.IPAddress(bytes)}/64";
    }
}

/// <summary>Marks an endpoint that takes many statements at once: its body may be up to <see cref="LimitOptions.MaxBatchBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TakesBatchesAttribute : Attribute;

/// <summary>Marks an endpoint that takes a whole file (<c>POST /imports</c>): its body may be up to <see cref="LimitOptions.MaxImportBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TakesFilesAttribute : Attribute;

/// <summary>
/// The reads that cost the most (views at an earlier date or instant, worked out from every row visible in
/// them; alignment across countries; substring searches; exact counts) share a concurrency limit across all
/// callers, with a short queue: a flood of them waits or is turned away while writes and light reads go on.
/// Endpoints opt in with <c>[EnableRateLimiting(HeavyReads.Policy)]</c>; the policy decides per request.
/// </summary>
public sealed class HeavyReads(LimitOptions limits) : IRateLimiterPolicy<string>
{
    public const string Policy = "heavy-reads";

    /// <summary>How long a turned-away caller is asked to wait: costly reads take up to seconds.</summary>
    public const int RetryAfterSeconds = 2;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (rejected, _) =>
    {
        rejected.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many costly reads.",
            Detail = $"The service answers {limits.HeavyReadConcurrency} costly reads (views at an earlier date or instant, alignment, " +
                     $"searches, exact counts) at once, with {limits.HeavyReadQueue} waiting; retry after {RetryAfterSeconds} s.",
        }).ExecuteAsync(rejected.HttpContext);
    };

    public RateLimitPartition<string> GetPartition(HttpContext context) =>
        IsHeavy(context.Request)
            ? RateLimitPartition.GetConcurrencyLimiter(Policy, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = Math.Max(1, limits.HeavyReadConcurrency),
                QueueLimit = Math.Max(0, limits.HeavyReadQueue),
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            : RateLimitPartition.GetNoLimiter("light");

    public static bool IsHeavy(HttpRequest request) =>
        request.Query.ContainsKey("asOf") || request.Query.ContainsKey("knownAt") || request.Query.ContainsKey("speaker")
        || request.Query["count"] == "exact" || request.Path.Value?.Contains("/alignment", StringComparison.Ordinal) == true;
}
