using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;

namespace StatementTracker.Operations.Http;

/// <summary>
/// Answers of position reads, kept in memory and given again while they hold, so that many clients polling the same
/// views (a dashboard's countries) cost one read per change, not one per request. An answer is the same for as long as
/// the PositionHistory projection has applied no further event and its tables were not replaced by a rebuild: the
/// read's tag (<see cref="ReadValidators"/>) says both, read before anything else. What the tracker showed at an
/// instant (<c>knownAt</c>) is made of the events stamped at or before it and nothing else, so such an answer also
/// holds across events the projection applies later, as long as none of them is stamped by the instant: one look
/// at the events applied since it was kept (a range of the store's sequence) decides. Writes are stamped when they
/// arrive, so an answer about the past outlives the ingest after it. A request with <c>Cache-Control: no-cache</c>
/// is read afresh. Answers say which with <c>Cache-Status</c> (RFC 9211).
/// </summary>
public sealed class KeptAnswers : IDisposable
{
    /// <summary>The position reads answers are kept for (each takes <c>asOf</c> and <c>knownAt</c>).</summary>
    public static readonly IReadOnlySet<string> Routes = new HashSet<string>(StringComparer.Ordinal)
    {
        "/countries/{code}/positions",
        "/countries/{code}/positions/{topic}",
        "/countries/{code}/positions/{topic}/history",
        "/countries/{code}/positions/{topic}/shifts",
        "/countries/{code}/alignment",
        "/countries/{a}/alignment/{b}",
        "/topics/{topic}/positions",
        "/topics/{topic}/alignment",
    };

    public const string CacheStatus = "Cache-Status";
    public const string Hit = "StatementTracker; hit";
    public const string Miss = "StatementTracker; fwd=miss";
    public const string Stale = "StatementTracker; fwd=stale";
    public const string Requested = "StatementTracker; fwd=request";

    /// <summary>Beyond this many events applied since an answer at an instant was kept, it is read again rather than checked.</summary>
    private const long MostEventsChecked = 20_000;

    /// <summary>
    /// Larger answers (a topic's alignment, 1.1 MiB for 200 countries) are not kept: a client stepping through
    /// instants would churn them through memory faster than the collector gives it back.
    /// </summary>
    public const int LargestAnswer = 256 * 1024;

    private readonly MemoryCache _answers;
    private readonly long _largestAnswer;

    public KeptAnswers(IOptions<LimitOptions> limits)
    {
        var bytes = Math.Max(0, limits.Value.KeptAnswerBytes);
        _answers = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, bytes) });
        _largestAnswer = Math.Min(bytes / 8, LargestAnswer);
    }

    /// <summary>Whether answers are kept for this read, and its instant (<c>knownAt</c>) if it has one.</summary>
    public bool Covers(HttpContext context, out DateTimeOffset? instant)
    {
        instant = null;
        if (_largestAnswer == 0) return false;
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } route }) return false;
        if (!Routes.Contains("/" + route.TrimStart('/'))) return false;
        var values = context.Request.Query["knownAt"];
        if (values.Count == 0 || values.All(string.IsNullOrWhiteSpace)) return true;
        // Read as the endpoints read it (QueryParameters.Instant); a read whose instant fails answers 400 from the endpoint.
        if (values.Count > 1 || !DateTimeOffset.TryParse(values[0]!.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        instant = parsed;
        return true;
    }

    /// <summary>
    /// Answers the read from a kept answer when one still holds at <paramref name="tag"/>; otherwise runs it, and
    /// keeps its answer when it is a 200 of at most <see cref="LargestAnswer"/> bytes.
    /// </summary>
    public async Task AnswerAsync(HttpContext context, RequestDelegate next, ReadValidators.Tag tag, DateTimeOffset? instant)
    {
        var key = $"{context.Request.Path.ToUriComponent()}{context.Request.QueryString.Value}";
        var status = Miss;
        if (AskedAfresh(context.Request)) status = Requested;
        else if (_answers.TryGetValue(key, out KeptAnswer? kept) && kept is not null)
        {
            if (await HoldsAsync(context, kept, tag, instant))
            {
                Telemetry.CountKeptAnswer("hit");
                await kept.WriteAsync(context.Response, context.RequestAborted);
                return;
            }
            _answers.Remove(key);
            status = Stale;
        }

        Telemetry.CountKeptAnswer("miss");
        context.Response.Headers[CacheStatus] = status;
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var copy = new CopyingStream(original.Stream, _largestAnswer);
        var copying = new StreamResponseBodyFeature(copy, original);
        context.Features.Set<IHttpResponseBodyFeature>(copying);
        try
        {
            await next(context);
            await copying.CompleteAsync();
        }
        catch
        {
            copy.TakeCopy();
            throw;
        }
        finally
        {
            context.Features.Set(original);
        }

        var response = context.Response;
        if (copy.TakeCopy() is not { } body || response.StatusCode != StatusCodes.Status200OK) return;
        var answer = new KeptAnswer(body, response.ContentType, response.Headers.Link.ToArray(), tag.Generation, tag.Progress);
        _answers.Set(key, answer, new MemoryCacheEntryOptions { Size = body.Length + key.Length * 2 + 256 });
    }

    /// <summary><c>Cache-Control: no-cache</c> (or <c>no-store</c>, or <c>Pragma: no-cache</c>): the client wants the tables read.</summary>
    private static bool AskedAfresh(HttpRequest request) =>
        request.Headers.CacheControl.Any(value => value is not null
            && (value.Contains("no-cache", StringComparison.OrdinalIgnoreCase) || value.Contains("no-store", StringComparison.OrdinalIgnoreCase)))
        || request.Headers.Pragma.Any(value => value is not null && value.Contains("no-cache", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether the kept answer is still the read's answer: the same tables, and either the same progress or, at an
    /// instant, no event applied since it was kept stamped at or before the instant.
    /// </summary>
    private static async Task<bool> HoldsAsync(HttpContext context, KeptAnswer kept, ReadValidators.Tag tag, DateTimeOffset? instant)
    {
        if (kept.Generation != tag.Generation) return false;
        var keptAt = kept.Progress;
        if (tag.Progress == keptAt) return true;
        if (instant is not { } at || tag.Progress < keptAt || tag.Progress - keptAt > MostEventsChecked) return false;
        if (context.RequestServices.GetService(typeof(IQuerySession)) is not IQuerySession session) return false;
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"select exists (select 1 from {schema}.mt_events where seq_id > @kept and seq_id <= @progress and timestamp <= @instant)",
            session.Connection);
        command.Parameters.AddWithValue("kept", keptAt);
        command.Parameters.AddWithValue("progress", tag.Progress);
        command.Parameters.AddWithValue("instant", at);
        if (await command.ExecuteScalarAsync(context.RequestAborted) is true) return false;
        kept.MovedTo(tag.Progress);
        return true;
    }

    public void Dispose() => _answers.Dispose();

    private sealed class KeptAnswer(byte[] body, string? contentType, string?[] links, long generation, long progress)
    {
        private long _progress = progress;

        /// <summary>The position tables it was read from (they change with each rebuild's swap).</summary>
        public long Generation => generation;

        /// <summary>The progress up to which the answer is known to hold.</summary>
        public long Progress => Interlocked.Read(ref _progress);

        public void MovedTo(long progress)
        {
            for (var seen = Progress; seen < progress; seen = Progress)
                if (Interlocked.CompareExchange(ref _progress, progress, seen) == seen) return;
        }

        public async Task WriteAsync(HttpResponse response, CancellationToken cancellation)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = contentType;
            if (links.Length > 0) response.Headers.Link = links;
            response.Headers[CacheStatus] = Hit;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, cancellation);
        }
    }

    /// <summary>
    /// Passes the body through and keeps a copy of it, up to <paramref name="limit"/> bytes (past it, none), in buffers
    /// from the shared pool that double as the body grows: most answers fit the first, and the kept answer is one array
    /// of its own size.
    /// </summary>
    private sealed class CopyingStream(Stream inner, long limit) : ResponseBodyStream(inner)
    {
        private const int FirstBuffer = 16 * 1024;

        private byte[]? _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(FirstBuffer, limit));
        private int _length;

        /// <summary>The copy, or null when the body outgrew the limit; either way the pooled buffer is returned.</summary>
        public byte[]? TakeCopy()
        {
            if (_buffer is not { } buffer) return null;
            _buffer = null;
            var copy = buffer.AsSpan(0, _length).ToArray();
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            return copy;
        }

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (_buffer is not { } buffer) return;
            var needed = _length + bytes.Length;
            if (needed > limit)
            {
                _buffer = null;
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
            if (needed > buffer.Length)
            {
                var larger = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, Math.Max(needed, 2L * buffer.Length)));
                buffer.AsSpan(0, _length).CopyTo(larger);
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                _buffer = buffer = larger;
            }
            bytes.CopyTo(buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            base.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Keep(buffer.AsSpan(offset, count));
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
