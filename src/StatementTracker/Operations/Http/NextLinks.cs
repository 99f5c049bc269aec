using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace StatementTracker.Operations.Http;

/// <summary>
/// A paged answer with <c>Link: &lt;...&gt;; rel="next"</c> (RFC 8288) when another page follows: the same
/// path and query with the paging parameter set to the page's continuation, so clients that follow links
/// need not know the body's field. The target is relative to the request, so no Host header is trusted.
/// </summary>
public sealed class WithNextLink(IResult page, string parameter, string? continuation) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        if (continuation is not null) context.Response.Headers.Append("Link", NextLink(context.Request, parameter, continuation));
        return page.ExecuteAsync(context);
    }

    public static string NextLink(HttpRequest request, string parameter, string continuation)
    {
        var query = new QueryBuilder();
        foreach (var (name, values) in QueryHelpers.ParseQuery(request.QueryString.Value))
            if (!string.Equals(name, parameter, StringComparison.OrdinalIgnoreCase))
                foreach (var value in values) query.Add(name, value ?? "");
        query.Add(parameter, continuation);
        return $"<{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}{query.ToQueryString()}>; rel=\"next\"";
    }
}

public static class NextLinkResults
{
    public static IResult WithNextLink(this IResult page, string parameter, string? continuation) =>
        new WithNextLink(page, parameter, continuation);
}
