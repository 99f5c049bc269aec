using Microsoft.AspNetCore.Http;

namespace StatementTracker.Infrastructure;

/// <summary>A JSON answer that carries a statement's version as its ETag, for a later If-Match.</summary>
public sealed class VersionedJson(object body, long version, int status = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.Headers.ETag = ExpectedVersions.ETagFor(version);
        return Results.Json(body, statusCode: status).ExecuteAsync(context);
    }
}
