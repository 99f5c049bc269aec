using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace StatementTracker.Operations;

/// <summary>
/// Every error is an RFC 9457 problem with a trace id, and the same trace id is logged, so a report
/// from a client leads to the log line. No answer carries a stack trace, SQL or a connection string.
/// </summary>
public static class ErrorResponses
{
    public const int DatabaseRetryAfterSeconds = 5;

    public static IServiceCollection AddErrorResponses(this IServiceCollection services)
    {
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddSingleton<ClientErrorLogSampler>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var traceId = context.ProblemDetails.Extensions.TryGetValue("traceId", out var id) ? id?.ToString() : context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions["traceId"] = traceId;
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            var services = context.HttpContext.RequestServices;
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("StatementTracker.Problems");
            var level = services.GetRequiredService<ClientErrorLogSampler>().LevelFor(status, out var suppressed);
            logger.Log(level,
                "Problem {Status} for {Method} {Path}, traceId {TraceId}: {Title} {Detail} ({Suppressed} more of this status logged at Debug since the last)",
                status, context.HttpContext.Request.Method, context.HttpContext.Request.Path, traceId,
                context.ProblemDetails.Title, context.ProblemDetails.Detail, suppressed);
        });
        return services;
    }

    /// <summary>Whether an exception means the database cannot serve us now (rather than a fault of ours).</summary>
    public static bool IsDatabaseUnavailable(Exception exception) => DatabaseFailures.Classify(exception) != DatabaseFailure.None;

    /// <summary>A database outage answers 503 with Retry-After, at once, instead of a 500.</summary>
    private sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellation)
        {
            var failure = DatabaseFailures.Classify(exception);
            if (failure == DatabaseFailure.None) return false;
            logger.LogWarning(exception, "The database did not answer {Method} {Path} ({Failure})", context.Request.Method, context.Request.Path, failure);

            // After an outage the pool's idle connections are dead: drop them (once per interval), so that once
            // the database is back requests get fresh connections instead of failing on stale ones one by one.
            if (failure == DatabaseFailure.Unreachable && DatabaseFailures.ClearPoolsAfterOutage())
                logger.LogWarning("Cleared the connection pools after a connection failure");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString();
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = failure == DatabaseFailure.Unreachable ? "The database is unavailable." : "The database is busy.",
                    Detail = "The statement store cannot serve this just now. Retry shortly: a retried POST /statements with the same statementId is never recorded twice.",
                },
            });
        }
    }
}
