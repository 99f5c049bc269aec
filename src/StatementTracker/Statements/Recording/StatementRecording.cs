using Marten;
using Marten.Exceptions;

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
