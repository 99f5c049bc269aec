using Npgsql;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// Copies a rebuild's chunks of rows on a connection of its own while the rebuild reads and folds the next
/// chunk on another: PostgreSQL takes in one chunk while the service works out the next, instead of each waiting
/// for the other. One chunk is in flight at a time, so memory holds at most two.
/// </summary>
public sealed class BackgroundCopy<T>(NpgsqlConnection connection, Func<NpgsqlConnection, IReadOnlyList<T>, CancellationToken, Task> copy)
    : IAsyncDisposable
{
    private Task _inFlight = Task.CompletedTask;

    /// <summary>Waits for the chunk in flight, then starts copying <paramref name="chunk"/>, which the caller must not touch again.</summary>
    public async Task SendAsync(IReadOnlyList<T> chunk, CancellationToken cancellation)
    {
        await _inFlight;
        _inFlight = chunk.Count == 0 ? Task.CompletedTask : copy(connection, chunk, cancellation);
    }

    /// <summary>Waits until every chunk sent is copied.</summary>
    public Task FlushAsync() => _inFlight;

    /// <summary>Lets a copy still in flight end (the rebuild failed otherwise, and says so) before closing its connection.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _inFlight;
        }
        catch
        {
            // The rebuild is failing already: its own error is the one to report.
        }
        await connection.DisposeAsync();
    }
}
