using Marten;
using Marten.Exceptions;
using Npgsql;

namespace StatementTracker.Statements.Recording;

public enum RecordingOutcome { Recorded, AlreadyRecorded, Conflict }

public sealed record RecordingResult(RecordingOutcome Kind, long Version);

/// <summary>
/// Starts a statement's stream, idempotently: recording the same statement again (same id, same
/// content) changes nothing, and the same id with other content is a conflict, never an overwrite.
/// Used by the HTTP endpoint and by the seed command.
/// </summary>
public static class StatementRecording
{
    public static async Task<RecordingResult> RecordAsync(IDocumentSession session, StatementRecorded recorded, CancellationToken cancellation)
    {
        await QueueBehindSameIdAsync(session, recorded.StatementId, cancellation);
        var earlier = await CompareWithEarlierAsync(session, recorded, cancellation);
        if (earlier is not null) return earlier;

        session.Events.StartStream<Statement>(recorded.StatementId, recorded);
        try
        {
            await session.SaveChangesAsync(cancellation);
            return new(RecordingOutcome.Recorded, 1);
        }
        catch (ExistingStreamIdCollisionException)
        {
            // Another request recorded the same id between our check and our commit.
            await using var fresh = session.DocumentStore.QuerySession();
            return await CompareWithEarlierAsync(fresh, recorded, cancellation)
                   ?? throw new InvalidOperationException($"Stream {recorded.StatementId} collided but cannot be read.");
        }
    }

    /// <summary>
    /// Posts of one statement id take turns (a lock held until this session commits), so a repeat sees the
    /// first one's stream rather than colliding with it: a failed write would leave a filler event behind.
    /// </summary>
    private static async Task QueueBehindSameIdAsync(IDocumentSession session, Guid statementId, CancellationToken cancellation)
    {
        var bytes = statementId.ToByteArray();
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock($1)", session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = BitConverter.ToInt64(bytes, 0) ^ BitConverter.ToInt64(bytes, 8) });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static async Task<RecordingResult?> CompareWithEarlierAsync(IQuerySession session, StatementRecorded recorded, CancellationToken cancellation)
    {
        var state = await session.Events.FetchStreamStateAsync(recorded.StatementId, cancellation);
        if (state is null) return null;

        var first = await session.Events.FetchStreamAsync(recorded.StatementId, version: 1, token: cancellation);
        var same = first.FirstOrDefault()?.Data is StatementRecorded original && SameStatement(original, recorded);
        return new(same ? RecordingOutcome.AlreadyRecorded : RecordingOutcome.Conflict, state.Version);
    }

    /// <summary>Same content and sources; who posted it does not make it a different statement.</summary>
    public static bool SameStatement(StatementRecorded a, StatementRecorded b) =>
        a.StatementId == b.StatementId && a.Content.SameAs(b.Content) && a.Sources.SequenceEqual(b.Sources);
}
