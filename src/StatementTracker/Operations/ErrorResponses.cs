using System.Net.Sockets;
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

    /// <summary>Whether an exception means the database cannot be reached now (rather than a fault of ours).</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                                     || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                                                     || postgres.SqlState == "53300":
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>A database outage answers 503 with Retry-After, at once, instead of a 500.</summary>
    private sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellation)
        {
            if (!IsDatabaseUnavailable(exception)) return false;
            logger.LogWarning(exception, "The database did not answer {Method} {Path}", context.Request.Method, context.Request.Path);

            // The pool's idle connections died with the database: drop them, so that once it is back
            // requests get fresh connections instead of failing on stale ones one by one.
            NpgsqlConnection.ClearAllPools();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString();
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The database is unavailable.",
                    Detail = "The statement store cannot be reached just now. Retry shortly: a retried POST /statements with the same statementId is never recorded twice.",
                },
            });
        }
    }
}
