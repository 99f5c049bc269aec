using Marten;
using StatementTracker.Statements.Recording;

namespace StatementTracker.Importing;

/// <summary>What loading one chunk did to each of its statements.</summary>
public enum LoadOutcome { Imported, AlreadyPresent, Conflict }

/// <summary>
/// Loads imported statements, one transaction per chunk, through the same path as recorded ones
/// (<see cref="NewStatements"/>), without the service's statement time limit. Each row stands alone: an id
/// already stored is answered as already present (same content) or as a conflict (other content) and is not
/// written, so loading a file again, or after an interruption, adds nothing twice.
/// </summary>
public sealed class BulkStatementLoader(IDocumentStore store)
{
    private readonly NewStatements _statements = new(store);

    /// <summary>Stamps and serialises a statement; pure but for the clock, so it can run on any thread ahead of the load.</summary>
    public PreparedStatement Prepare(Statements.StatementRecorded statement) => _statements.Prepare(statement);

    public async Task<IReadOnlyList<LoadOutcome>> LoadAsync(IReadOnlyList<PreparedStatement> prepared, CancellationToken cancellation)
    {
        var byStatement = new Dictionary<Statements.StatementRecorded, PreparedStatement>(ReferenceEqualityComparer.Instance);
        foreach (var p in prepared) byStatement[p.Recorded] = p;
        var groups = prepared.Select(p => (IReadOnlyList<Statements.StatementRecorded>)[p.Recorded]).ToArray();
        var outcomes = await _statements.CommitAsync(groups, s => byStatement[s], bulk: true, cancellation);
        return outcomes.Select(o => o.IsConflict ? LoadOutcome.Conflict
            : o.Results[0].Kind == RecordingOutcome.Recorded ? LoadOutcome.Imported
            : LoadOutcome.AlreadyPresent).ToArray();
    }
}
