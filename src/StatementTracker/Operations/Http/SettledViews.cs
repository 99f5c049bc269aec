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
/// Answers of position reads at an instant (<c>knownAt</c>), kept in memory. What the tracker showed at an instant
/// is made of the events stamped at or before it and nothing else, so an answer stays right for as long as the
/// PositionHistory projection applies no event stamped by then. An answer kept at progress P0 is served again at
/// progress P after one look at the events between them (a range of the store's sequence), and dropped as soon as
/// one of them is stamped at or before its instant. Writes are stamped when they arrive, after any past instant,
/// so an answer about the past outlives the ingest that follows it; one about the future lasts until the next write.
/// Answers carry <c>Cache-Status</c> (RFC 9211): <c>hit</c> when served from here, <c>fwd=miss</c> otherwise.
/// </summary>
public sealed class SettledViews : IDisposable
{
    /// <summary>The position reads that take <c>knownAt</c>: each answers from the events stamped by the instant alone.</summary>
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

    /// <summary>Beyond this many events applied since an answer was kept, it is read again rather than checked.</summary>
    private const long MostEventsChecked = 20_000;

    /// <summary>
    /// Larger answers (a topic's alignment at an instant, 1.1 MiB for 200 countries) are not kept: a client stepping
    /// through instants would churn them through memory faster than the collector gives it back.
    /// </summary>
    public const int LargestAnswer = 256 * 1024;

    private readonly MemoryCache _answers;
    private readonly long _largestAnswer;

    public SettledViews(IOptions<LimitOptions> limits)
    {
        var bytes = Math.Max(0, limits.Value.SettledViewCacheBytes);
        _answers = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, bytes) });
        _largestAnswer = Math.Min(bytes / 8, LargestAnswer);
    }

    /// <summary>The instant of a read these answers cover, or null when they do not cover it.</summary>
    public DateTimeOffset? InstantOf(HttpContext context)
    {
        if (_largestAnswer == 0) return null;
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } route }) return null;
        if (!Routes.Contains("/" + route.TrimStart('/'))) return null;
        // Read as the endpoints read it (QueryParameters.Instant); one that fails answers 400 from the endpoint.
        var values = context.Request.Query["knownAt"];
        return values.Count == 1 && !string.IsNullOrWhiteSpace(values[0])
            && DateTimeOffset.TryParse(values[0]!.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : null;
    }

    /// <summary>
    /// Answers the read from a kept answer when one still holds at <paramref name="progress"/> (the projection's
    /// progress, read before anything else); otherwise runs it, and keeps its answer when it is a 200.
    /// </summary>
    public async Task AnswerAsync(HttpContext context, RequestDelegate next, long progress, DateTimeOffset instant)
    {
        var key = $"{context.Request.Path.ToUriComponent()}{context.Request.QueryString.Value}";
        if (_answers.TryGetValue(key, out KeptAnswer? kept) && kept is not null)
        {
            if (await HoldsAsync(context, kept, progress, instant))
            {
                Telemetry.CountSettledView("hit");
                await kept.WriteAsync(context.Response, context.RequestAborted);
                return;
            }
            _answers.Remove(key);
        }

        Telemetry.CountSettledView("miss");
        context.Response.Headers[CacheStatus] = Miss;
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
        var answer = new KeptAnswer(body, response.ContentType, response.Headers.Link.ToArray(), progress);
        _answers.Set(key, answer, new MemoryCacheEntryOptions { Size = body.Length + key.Length * 2 + 256 });
    }

    /// <summary>Whether no event applied since the answer was kept is stamped at or before its instant.</summary>
    private static async Task<bool> HoldsAsync(HttpContext context, KeptAnswer kept, long progress, DateTimeOffset instant)
    {
        var keptAt = kept.Progress;
        if (progress == keptAt) return true;
        if (progress < keptAt || progress - keptAt > MostEventsChecked) return false;
        if (context.RequestServices.GetService(typeof(IQuerySession)) is not IQuerySession session) return false;
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"select exists (select 1 from {schema}.mt_events where seq_id > @kept and seq_id <= @progress and timestamp <= @instant)",
            session.Connection);
        command.Parameters.AddWithValue("kept", keptAt);
        command.Parameters.AddWithValue("progress", progress);
        command.Parameters.AddWithValue("instant", instant);
        if (await command.ExecuteScalarAsync(context.RequestAborted) is true) return false;
        kept.MovedTo(progress);
        return true;
    }

    public void Dispose() => _answers.Dispose();

    private sealed class KeptAnswer(byte[] body, string? contentType, string?[] links, long progress)
    {
        private long _progress = progress;

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
    /// Passes the body through and keeps a copy of it, up to <paramref name="limit"/> bytes (past it, none), in one
    /// buffer of that size from the shared pool: no buffer grows by copies, and the kept answer is one array of its own size.
    /// </summary>
    private sealed class CopyingStream(Stream inner, long limit) : Stream
    {
        private byte[]? _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)limit);
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
            if (_length + bytes.Length > limit)
            {
                _buffer = null;
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
            bytes.CopyTo(buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Keep(buffer.AsSpan(offset, count));
            return inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
