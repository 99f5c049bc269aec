using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StatementTracker.Infrastructure;

namespace StatementTracker.Timeline;

/// <summary>
/// The timeline page: one HTML page with its script and styles, embedded in this assembly and served at
/// <c>/</c> and <c>/timeline/...</c>. They are served anonymously even when reads need the reader role
/// (the fallback authorization policy would otherwise apply to them): the files hold no data, and the
/// page asks for an API key when the API answers 401.
/// </summary>
public static class Configuration
{
    public static IEndpointRouteBuilder MapTimelinePage(this IEndpointRouteBuilder endpoints)
    {
        var assets = PageAssets.Load(typeof(Configuration).Assembly);
        endpoints.MapGet("/", (HttpContext context) => Serve(assets, PageAssets.Page, context))
            .AllowAnonymous().ExcludeFromDescription();
        // "/timeline/" matches with no path at all: nullable, so it is a 404 like any other missing file.
        endpoints.MapGet("/timeline/{**path}", (string? path, HttpContext context) => Serve(assets, path ?? "", context))
            .AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(PageAssets assets, string path, HttpContext context)
    {
        // Only the files embedded at build time, looked up by exact name: no path reaches the file system.
        if (assets.Find(path) is not { } asset)
            return Problems.NotFound("No such file of the timeline page.").ToResult();

        var headers = context.Response.Headers;
        // The files change with each build of the service: revalidate each time (the ETag makes it cheap).
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (path == PageAssets.Page)
        {
            // Everything the page loads comes from this service; data is inserted as text, never as markup,
            // and this policy refuses inline script and any other origin should that ever slip.
            headers.ContentSecurityPolicy =
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
        }
        return Results.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }
}
