using System.Threading.Channels;
using Npgsql;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// Copies a rebuild's rows into a table with one COPY, on a connection of its own, as the rebuild hands them
/// over: PostgreSQL takes rows in while the service reads and folds the next ones, instead of each waiting for
/// the other. Rows wait in a small bounded buffer, so memory stays flat and they are garbage while still young,
/// which the collector reclaims without copying them to an older generation.
/// </summary>
public sealed class StreamingCopy<T> : IAsyncDisposable
{
    private const int ChunkSize = 500;

    private readonly Channel<T[]> _chunks = Channel.CreateBounded<T[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
    private readonly List<T> _pending = new(ChunkSize);
    private readonly NpgsqlConnection _connection;
    private readonly Task _copying;
    private bool _completed;

    /// <param name="copy">The COPY … FROM STDIN (FORMAT BINARY) statement.</param>
    /// <param name="writeRow">Writes one row's columns, after the row is started.</param>
    public StreamingCopy(NpgsqlConnection connection, string copy, Action<NpgsqlBinaryImporter, T> writeRow, CancellationToken cancellation)
    {
        _connection = connection;
        _copying = Task.Run(() => CopyAsync(copy, writeRow, cancellation), CancellationToken.None);
    }

    public async ValueTask AddAsync(T row, CancellationToken cancellation)
    {
        _pending.Add(row);
        if (_pending.Count >= ChunkSize) await SendPendingAsync(cancellation);
    }

    /// <summary>Sends the last rows and waits until the COPY has committed them all.</summary>
    public async Task CompleteAsync(CancellationToken cancellation)
    {
        await SendPendingAsync(cancellation);
        _completed = _chunks.Writer.TryComplete();
        await _copying;
    }

    private async ValueTask SendPendingAsync(CancellationToken cancellation)
    {
        if (_pending.Count == 0) return;
        try
        {
            await _chunks.Writer.WriteAsync(_pending.ToArray(), cancellation);
        }
        catch (ChannelClosedException)
        {
            await _copying; // the COPY failed: its own error is the one to report
            throw;
        }
        _pending.Clear();
    }

    private async Task CopyAsync(string copy, Action<NpgsqlBinaryImporter, T> writeRow, CancellationToken cancellation)
    {
        try
        {
            await using var importer = await _connection.BeginBinaryImportAsync(copy, cancellation);
            await foreach (var chunk in _chunks.Reader.ReadAllAsync(cancellation))
            {
                foreach (var row in chunk)
                {
                    importer.StartRow();
                    writeRow(importer, row);
                }
            }
            await importer.CompleteAsync(cancellation);
        }
        catch (Exception ex)
        {
            _chunks.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>When the rebuild failed before completing, the COPY is abandoned (nothing of it commits); then the connection closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_completed) _chunks.Writer.TryComplete(new OperationCanceledException("The rebuild stopped before its rows were all handed over."));
        try
        {
            await _copying;
        }
        catch
        {
            // The rebuild is failing already: its own error is the one to report.
        }
        await _connection.DisposeAsync();
    }
}
