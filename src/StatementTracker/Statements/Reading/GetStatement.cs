using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using Wolverine.Http;

namespace StatementTracker.Statements.Reading;

/// <summary>
/// <c>GET /statements/{id}</c>: the statement as stored now, or as it stood at <c>?version=N</c> or at
/// the instant <c>?knownAt=...</c>. Built from the statement's events on every read, so it is exact
/// even while projections rebuild. The ETag is the version, for <c>If-Match</c> on a correction.
/// </summary>
public static class GetStatementEndpoint
{
    [WolverineGet("/statements/{id}")]
    public static async Task<IResult> Get(string id, string? version, string? knownAt, IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var atVersion = query.Long("version", version, min: 1);
        var atInstant = query.Instant("knownAt", knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        if (!StatementStreams.TryParseId(id, out var statementId)) return StatementStreams.NotFound(id);

        var state = await session.Events.FetchStreamStateAsync(statementId, cancellation);
        if (state is null) return StatementStreams.NotFound(id);
        if (atVersion > state.Version)
            return Problems.NotFound($"Statement {id} has {state.Version} versions; there is no version {atVersion}.").ToResult();

        var statement = await session.Events.AggregateStreamAsync<Statement>(
            statementId, version: atVersion ?? 0, timestamp: atInstant, token: cancellation);
        return statement is null
            ? Problems.NotFound($"Statement {id} was not yet recorded at {atInstant:O}.").ToResult()
            : new VersionedJson(statement, statement.Version);
    }
}
