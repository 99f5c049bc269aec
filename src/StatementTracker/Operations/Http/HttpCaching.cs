using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace StatementTracker.Operations.Http;

/// <summary>
/// Conditional reads and Cache-Control. A read whose tag <see cref="ReadValidators"/> knows up front answers
/// 304 before the endpoint runs; a read whose endpoint tags its own answer (a statement's version) is compared
/// when the endpoint starts writing, and its body is dropped on a match. A position read is answered from
/// <see cref="KeptAnswers"/> while its kept answer holds. Runs after authorization and the request limits: a 304
/// or a kept answer is given only to callers who may read it, and counts against their limits like any read.
/// </summary>
public static class HttpCaching
{
    /// <summary>Writes and errors: never stored. Reads: stored, but checked with the tag before each use.</summary>
    public const string NoStore = "no-store";
    public const string Revalidate = "no-cache";
    public const string PrivateRevalidate = "private, no-cache";

    /// <summary>Per-caller or operational state, where a stored copy helps no one.</summary>
    private static readonly string[] UncachedReads = ["/health", "/admin", "/subscriptions", "/imports"];

    public static IApplicationBuilder UseHttpCaching(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var response = context.Response;
        response.OnStarting(() =>
        {
            if (string.IsNullOrEmpty(response.Headers.CacheControl)) response.Headers.CacheControl = CacheControlFor(context);
            // A tag names a representation of the resource; an error is none.
            if (response.StatusCode >= 400) response.Headers.ETag = default;
            return Task.CompletedTask;
        });
        if (!HttpMethods.IsGet(request.Method))
        {
            await next(context);
            return;
        }

        if (await ReadValidators.TagAsync(context) is { } tag)
        {
            response.Headers.ETag = tag.Value;
            if (ReadValidators.Matches(request, tag.Value))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            if (tag.OfPositions && context.RequestServices.GetService(typeof(KeptAnswers)) is KeptAnswers kept
                && kept.Covers(context, out var instant))
            {
                await kept.AnswerAsync(context, next, tag, instant);
                return;
            }
            await next(context);
            return;
        }

        if (request.Headers.IfNoneMatch.Count == 0)
        {
            await next(context);
            return;
        }
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var conditional = new StreamResponseBodyFeature(new NotModifiedBody(original.Stream, context), original);
        context.Features.Set<IHttpResponseBodyFeature>(conditional);
        try
        {
            await next(context);
            await conditional.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }
    });

    private static string CacheControlFor(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return NoStore;
        if (context.Response.StatusCode >= 400) return NoStore;
        if (UncachedReads.Any(prefix => request.Path.StartsWithSegments(prefix))) return NoStore;
        // Answers to a caller with credentials are for that caller: no shared cache keeps them.
        var credentials = request.Headers.ContainsKey("X-Api-Key") || request.Headers.ContainsKey("Authorization");
        return credentials ? PrivateRevalidate : Revalidate;
    }

    /// <summary>
    /// Passes the body through unless, when the endpoint first writes, its answer is a 200 whose ETag the
    /// caller already holds: then the status becomes 304 and the body is dropped (a 304 may carry none).
    /// </summary>
    private sealed class NotModifiedBody(Stream inner, HttpContext context) : ResponseBodyStream(inner)
    {
        private bool? _drop;

        private bool Drop => _drop ??= Decide();

        private bool Decide()
        {
            var response = context.Response;
            if (response.HasStarted || response.StatusCode != StatusCodes.Status200OK) return false;
            if (!ReadValidators.Matches(context.Request, response.Headers.ETag)) return false;
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = default;
            return true;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!Drop) base.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Drop ? Task.CompletedTask : base.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Drop ? ValueTask.CompletedTask : base.WriteAsync(buffer, cancellationToken);

        public override void Flush()
        {
            if (!Drop) base.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Drop ? Task.CompletedTask : base.FlushAsync(cancellationToken);
    }
}
