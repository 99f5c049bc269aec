using JasperFx.Events;
using JasperFx;
using Marten;
using Marten.Events;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using StatementTracker.Infrastructure;

namespace StatementTracker.Statements;

/// <summary>
/// The state rules every change to a statement shares: it exists, it is not retracted, and it is at the
/// version the client expects. Optimistic concurrency does the rest: of concurrent changes made from one
/// version, one commits and the others answer 409.
/// </summary>
public static class StatementStreams
{
    public static async Task<(IEventStream<Statement>? Stream, IResult? Refusal)> FetchForChangeAsync(
        IDocumentSession session, string id, long? expectedVersion, CancellationToken cancellation)
    {
        if (!TryParseId(id, out var statementId)) return (null, NotFound(id));

        var stream = await session.Events.FetchForWriting<Statement>(statementId, cancellation);
        if (stream.Aggregate is not { } statement) return (null, NotFound(id));
        if (statement.IsRetracted)
            return (null, Conflict($"Statement {id} was retracted ({statement.Retraction?.Reason}); it can no longer be changed.", stream.StartingVersion ?? 0));
        if (expectedVersion is { } expected && expected != stream.StartingVersion)
            return (null, Stale(id, stream.StartingVersion ?? 0, expected));
        return (stream, null);
    }

    /// <summary>Commits the appended event; a concurrent change that committed first makes this a 409.</summary>
    public static async Task<IResult> SaveAsync(IDocumentSession session, IEventStream<Statement> stream, Func<long, IResult> saved, CancellationToken cancellation)
    {
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (Exception ex) when (ex is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
        {
            await using var query = session.DocumentStore.QuerySession();
            var state = await query.Events.FetchStreamStateAsync(stream.Id, cancellation);
            return Stale(stream.Id.ToString(), state?.Version ?? 0, stream.StartingVersion ?? 0);
        }
        return saved(stream.CurrentVersion.GetValueOrDefault());
    }

    public static IResult Changed(Guid id, long version, int status = StatusCodes.Status200OK) =>
        new VersionedJson(new ChangeResponse(id, version), version, status);

    /// <summary>A statement id from a route: a UUID, and not the empty one.</summary>
    public static bool TryParseId(string id, out Guid statementId) => Guid.TryParse(id, out statementId) && statementId != Guid.Empty;

    /// <summary>Echoes the id only when it is a well-formed UUID: answers never repeat arbitrary input.</summary>
    public static IResult NotFound(string id) =>
        Problems.NotFound(Guid.TryParse(id, out var statementId) ? $"No statement with id {statementId}." : "No such statement: statement ids are UUIDs.").ToResult();

    private static IResult Stale(string id, long current, long expected) =>
        Conflict($"Statement {id} is at version {current}, not {expected}: someone changed it since you read it. Read it again and reapply your change.", current);

    private static IResult Conflict(string detail, long currentVersion)
    {
        var problem = Problems.Conflict(detail);
        problem.Extensions["currentVersion"] = currentVersion;
        return problem.ToResult();
    }
}

public sealed record ChangeResponse(Guid Id, long Version);
