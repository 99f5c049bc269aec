using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace StatementTracker.Operations.Http;

/// <summary>
/// <c>HEAD</c> wherever <c>GET</c> works: the request is routed and answered as a GET (same status, headers,
/// ETag, authorization), and the body is dropped. It must run before routing, since endpoints declare GET only.
/// Kestrel keeps its own record of the request line's method, so it still sends no body on the wire; the
/// in-memory test server does not, hence the discarding stream.
/// </summary>
public static class HeadRequests
{
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        context.Request.Method = HttpMethods.Get;
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var discarding = new StreamResponseBodyFeature(Stream.Null, original);
        context.Features.Set<IHttpResponseBodyFeature>(discarding);
        // Logged and seen by the server as what it was.
        context.Response.OnStarting(() =>
        {
            context.Request.Method = HttpMethods.Head;
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
            await discarding.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
            context.Request.Method = HttpMethods.Head;
        }
    });
}
