using Marten;
using Npgsql;

namespace StatementTracker.Infrastructure;

/// <summary>
/// How far the event store goes: the sequence of its last event, and the async daemon's high-water mark.
/// </summary>
public static class EventStoreHead
{
    /// <summary>
    /// The sequence of the last event in the store: what a caught-up projection has applied. Read from the
    /// events themselves, so it is right even before the async daemon has recorded a high-water mark.
    /// </summary>
    public static async Task<long> LastSequenceAsync(IQuerySession session, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select coalesce(max(seq_id), 0) from {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_events",
            session.Connection);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>
    /// The async daemon's high-water mark as it last recorded it: every event up to it is committed. 0 until the
    /// daemon first records one, which it does a moment after a node starts, even over a store already full.
    /// </summary>
    public static async Task<long> HighWaterMarkAsync(NpgsqlConnection connection, string eventSchema, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select coalesce((select last_seq_id from {eventSchema}.mt_event_progression where name = 'HighWaterMark'), 0)", connection);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }
}
