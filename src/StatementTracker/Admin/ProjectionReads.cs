using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace StatementTracker.Admin;

/// <summary>
/// Reads from a projection answer 503 with Retry-After while it is rebuilt, rather than serving the
/// half-built data: the client retries and gets the whole answer.
/// </summary>
public static class ProjectionReads
{
    public const int RetryAfterSeconds = 5;

    public static async Task<IResult?> UnavailableWhileRebuildingAsync(
        ProjectionRebuilds rebuilds, IQuerySession session, string projection, CancellationToken cancellation) =>
        await rebuilds.AnyRebuildingAsync(session, [projection], cancellation)
            ? new RetryLater(new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Being rebuilt.",
                Detail = $"The {projection} projection is being rebuilt from the events; try again shortly.",
            })
            : null;

    private sealed class RetryLater(ProblemDetails problem) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
            return Results.Problem(problem).ExecuteAsync(context);
        }
    }
}
