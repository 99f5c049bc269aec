using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Marten;
using StatementTracker.Statements;

namespace StatementTracker.Importing;

/// <summary>Where an import stands: what it has read and done, and how far into its input it is.</summary>
public sealed record ImportProgress(ImportReport Report, long BytesRead, long? TotalBytes, TimeSpan Elapsed)
{
    public double StatementsPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : (Report.Imported + Report.AlreadyPresent) / Elapsed.TotalSeconds;

    /// <summary>The time left, judged by the share of the input read so far.</summary>
    public TimeSpan? Remaining => TotalBytes is > 0 && BytesRead > 0
        ? TimeSpan.FromSeconds(Elapsed.TotalSeconds * (TotalBytes.Value - BytesRead) / BytesRead)
        : null;
}

/// <summary>
/// Imports a file: its rows are read and checked in order, the statements go to the database in chunks
/// (one transaction each, through <see cref="BulkStatementLoader"/>), and rejected rows go to the rejects
/// file with their row number and errors. A bad row never stops the rest. Reading the next chunk overlaps
/// with loading the previous one.
/// </summary>
public sealed class StatementImport(IDocumentStore store)
{
    public const int DefaultChunkSize = 5000;

    /// <summary>How many chunks load at once, each in its own transaction.</summary>
    public const int ConcurrentChunks = 2;

    /// <summary>Rows parsed together on one thread.</summary>
    private const int BlockSize = 500;

    private static Task<ImportRow[]> ParseAsync(
        List<(long Row, string Line)> block, Func<long, string, ImportContext, ImportRow> parse, ImportContext context, BulkStatementLoader loader) =>
        Task.Run(() => block
            .Select(r => parse(r.Row, r.Line, context) switch
            {
                ImportRow.Statement statement => statement with { Prepared = loader.Prepare(statement.Recorded) },
                var other => other,
            })
            .ToArray());

    /// <summary>After this many imported statements, the tables they went to are analysed at the end.</summary>
    public const int AnalyzeAfter = 10_000;

    /// <summary>
    /// Fresh statistics for the tables a large import filled: until autovacuum's next analyse, the planner took
    /// a store of 300,000 new events for an empty one, and the projection daemon read its next events with a
    /// parallel hash join over every stream (catch-up 2,700 events/s instead of 8,800). Tables the connection's
    /// role does not own are skipped (PostgreSQL warns and goes on); autovacuum analyses them later.
    /// </summary>
    private async Task AnalyzeAsync(CancellationToken cancellation)
    {
        var events = store.Options.Events.DatabaseSchemaName;
        var documents = store.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.QualifiedName;
        var list = Statements.Listing.StatementListTable.QualifiedName(store.Options.DatabaseSchemaName);
        await using var connection = await Infrastructure.StatementTrackerSetup.OpenForBulkWorkAsync(store, cancellation);
        await using var command = new Npgsql.NpgsqlCommand($"analyze {events}.mt_events, {events}.mt_streams, {documents}, {list}", connection)
        {
            CommandTimeout = 0,
        };
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Whether a file is gzip-compressed: its name ends in .gz.</summary>
    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <param name="input">The file as stored: <paramref name="gzip"/> says to decompress it; progress counts its stored bytes.</param>
    public async Task<ImportReport> RunAsync(
        IImportFormat format, Stream input, bool gzip, long? totalBytes, ImportContext context, TextWriter rejects,
        Action<ImportProgress> progress, int chunkSize = DefaultChunkSize, CancellationToken cancellation = default)
    {
        var report = new ImportReport();
        var clock = Stopwatch.StartNew();
        var counted = new CountingStream(input);
        Stream decoded = gzip ? new GZipStream(counted, CompressionMode.Decompress) : counted;
        var loader = new BulkStatementLoader(store);
        var chunks = Channel.CreateBounded<List<ImportRow.Statement>>(2);

        // Rows are parsed a block at a time on the thread pool; blocks are queued as tasks in file order, so
        // parsing runs ahead in parallel while loading takes the results in order.
        var blocks = Channel.CreateBounded<Task<ImportRow[]>>(Environment.ProcessorCount * 2);

        async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(decoded, new UTF8Encoding(false, throwOnInvalidBytes: false));
                var first = await reader.ReadLineAsync(cancellation);
                if (first is null) return;
                var start = format.Start(first);
                if (start.Parser is not { } parse) throw new WrongFormatException($"Not a {format.Name} file. {start.Mismatch}");

                var row = 1L;
                var block = new List<(long Row, string Line)>(BlockSize);
                if (start.FirstLineIsRow) block.Add((row, first));
                while (await reader.ReadLineAsync(cancellation) is { } line)
                {
                    row++;
                    if (string.IsNullOrWhiteSpace(line)) continue;
                    block.Add((row, line));
                    if (block.Count < BlockSize) continue;
                    await blocks.Writer.WriteAsync(ParseAsync(block, parse, context, loader), cancellation);
                    block = new List<(long, string)>(BlockSize);
                }
                if (block.Count > 0) await blocks.Writer.WriteAsync(ParseAsync(block, parse, context, loader), cancellation);
            }
            finally
            {
                blocks.Writer.Complete();
            }
        }

        async Task GatherAsync()
        {
            try
            {
                var chunk = new List<ImportRow.Statement>(chunkSize);
                await foreach (var parsing in blocks.Reader.ReadAllAsync(cancellation))
                {
                    foreach (var row in await parsing)
                    {
                        lock (report)
                        {
                            report.Read++;
                            switch (row)
                            {
                                case ImportRow.Skipped skipped:
                                    report.Skip(skipped.Reason);
                                    Operations.Telemetry.CountImportRow("skipped");
                                    break;
                                case ImportRow.Rejected rejected:
                                    report.Rejected++;
                                    Operations.Telemetry.CountImportRow("rejected");
                                    WriteReject(rejects, rejected.Row, rejected.Errors, rejected.Text);
                                    break;
                            }
                        }
                        if (row is not ImportRow.Statement statement) continue;
                        chunk.Add(statement);
                        if (chunk.Count < chunkSize) continue;
                        await chunks.Writer.WriteAsync(chunk, cancellation);
                        chunk = new List<ImportRow.Statement>(chunkSize);
                    }
                }
                if (chunk.Count > 0) await chunks.Writer.WriteAsync(chunk, cancellation);
                chunks.Writer.Complete();
            }
            catch (Exception ex)
            {
                chunks.Writer.Complete(ex);
                throw;
            }
        }

        // Two chunks load at once, each in its own transaction, so PostgreSQL works on both cores while the next
        // rows are parsed; their outcomes are taken in file order. Chunks that share a statement id never load
        // at once: the earlier row in the file always wins, and two transactions never wait on each other's rows.
        async Task LoadAsync()
        {
            var loading = new Queue<(List<ImportRow.Statement> Chunk, HashSet<Guid> Ids, Task<IReadOnlyList<LoadOutcome>> Outcomes)>();
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellation))
            {
                var ids = chunk.Select(s => s.Recorded.StatementId).ToHashSet();
                while (loading.Count >= ConcurrentChunks || loading.Any(l => l.Ids.Overlaps(ids))) await FinishAsync(loading.Dequeue());
                loading.Enqueue((chunk, ids, loader.LoadAsync(chunk.Select(s => s.Prepared ?? loader.Prepare(s.Recorded)).ToArray(), cancellation)));
            }
            while (loading.Count > 0) await FinishAsync(loading.Dequeue());
        }

        async Task FinishAsync((List<ImportRow.Statement> Chunk, HashSet<Guid> Ids, Task<IReadOnlyList<LoadOutcome>> Outcomes) load)
        {
            var (chunk, outcomes) = (load.Chunk, await load.Outcomes);
            lock (report)
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    switch (outcomes[i])
                    {
                        case LoadOutcome.Imported:
                            report.Imported++;
                            Operations.Telemetry.CountImportRow("imported");
                            break;
                        case LoadOutcome.AlreadyPresent:
                            report.AlreadyPresent++;
                            Operations.Telemetry.CountImportRow("already_present");
                            break;
                        default:
                            report.Rejected++;
                            WriteReject(rejects, chunk[i].Row, new Dictionary<string, string[]>
                            {
                                ["statementId"] = [$"Statement {chunk[i].Recorded.StatementId} is already recorded with different content."],
                            }, null);
                            break;
                    }
                }
            }
            progress(new ImportProgress(report, counted.Position, totalBytes, clock.Elapsed));
        }

        await Task.WhenAll(ReadAsync(), GatherAsync(), LoadAsync());
        if (report.Imported >= AnalyzeAfter) await AnalyzeAsync(cancellation);
        await rejects.FlushAsync(cancellation);
        progress(new ImportProgress(report, counted.Position, totalBytes, clock.Elapsed));
        return report;
    }

    private static readonly JsonSerializerOptions RejectsJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static void WriteReject(TextWriter rejects, long row, IReadOnlyDictionary<string, string[]> errors, string? text) =>
        rejects.WriteLine(JsonSerializer.Serialize(new { row, errors, text }, RejectsJson));

    /// <summary>Counts the bytes read from the input, compressed or not, for progress and the time left.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _read;

        public override long Position { get => Interlocked.Read(ref _read); set => throw new NotSupportedException(); }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        private int Count(int read)
        {
            Interlocked.Add(ref _read, read);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
