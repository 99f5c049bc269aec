using Microsoft.AspNetCore.Mvc;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using Wolverine.Http;

namespace StatementTracker.Statements.Reading;

/// <summary>
/// <c>GET /statements/{id}</c>: the statement as stored now, or as it stood at <c>?version=N</c> or at
/// the instant <c>?knownAt=...</c>. Now is the stored snapshot (kept inline, in the same transaction as each
/// event, and left in place while a rebuild fills its shadow table): one row, however long the stream. The past
/// is folded from the events up to that version or instant. The ETag is the version, for <c>If-Match</c> on a correction.
/// </summary>
public static class GetStatementEndpoint
{
    [ProducesResponseType(typeof(Statement), 200)]
    [WolverineGet("/statements/{id}")]
    public static async Task<IResult> Get(string id, string? version, string? knownAt, IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var atVersion = query.Long("version", version, min: 1);
        var atInstant = query.Instant("knownAt", knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        if (!StatementStreams.TryParseId(id, out var statementId)) return StatementStreams.NotFound(id);

        var statement = atVersion is null && atInstant is null
            ? await session.LoadAsync<Statement>(statementId, cancellation)
            : await session.Events.AggregateStreamAsync<Statement>(statementId, version: atVersion ?? 0, timestamp: atInstant, token: cancellation);
        if (statement is null)
            return atInstant is null ? StatementStreams.NotFound(id) : Problems.NotFound($"Statement {id} was not yet recorded at {atInstant:O}.").ToResult();
        // Asked for a version past the last, the stream stops short of it.
        if (atVersion is { } wanted && statement.Version != wanted)
            return Problems.NotFound($"Statement {id} has {statement.Version} versions; there is no version {wanted}.").ToResult();
        return new VersionedJson(statement, statement.Version);
    }
}
