using Marten;
using Npgsql;

namespace StatementTracker.Infrastructure;

/// <summary>
/// The sequence of the last event in the store: what a caught-up projection has applied. Read from the
/// events themselves, so it is right even before the async daemon has recorded a high-water mark.
/// </summary>
public static class EventStoreHead
{
    public static async Task<long> LastSequenceAsync(IQuerySession session, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select coalesce(max(seq_id), 0) from {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_events",
            session.Connection);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }
}
