using JasperFx.Events;
using JasperFx;
using Marten;
using Marten.Events;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;

namespace StatementTracker.Statements;

/// <summary>
/// The state rules every change to a statement shares: it exists, it is not retracted, and it is at the
/// version the client expects. Optimistic concurrency does the rest: of concurrent changes made from one
/// version, one commits and the others answer 409.
/// </summary>
public static class StatementStreams
{
    /// <summary>
    /// The statement's stream, ready for one more event; or why not. The version expected comes from
    /// the body (<paramref name="expectedVersion"/>) or an <c>If-Match</c> header.
    /// </summary>
    public static async Task<(IEventStream<Statement>? Stream, IResult? Refusal)> FetchForChangeAsync(
        IDocumentSession session, string id, HttpRequest request, long? expectedVersion, bool versionRequired, CancellationToken cancellation)
    {
        var (expected, versionProblem) = ExpectedVersions.Resolve(expectedVersion, request.Headers.IfMatch, versionRequired);
        if (versionProblem is not null) return (null, versionProblem.ToResult());
        if (!TryParseId(id, out var statementId)) return (null, NotFound(id));

        // Exclusive: concurrent changes to one statement queue on its row lock, so the losers see the new
        // version and answer 409 without a failed write (which would leave a tombstone event behind).
        await session.BeginTransactionAsync(cancellation);
        await using (var gate = new Npgsql.NpgsqlCommand(WriteGate.PassWithinMaxWait, (Npgsql.NpgsqlConnection)session.Connection!))
            await gate.ExecuteNonQueryAsync(cancellation);
        var stream = await session.Events.FetchForExclusiveWriting<Statement>(statementId, cancellation);
        if (stream.Aggregate is not { } statement) return (null, NotFound(id));
        if (statement.IsRetracted)
            return (null, Conflict($"Statement {id} was retracted ({statement.Retraction?.Reason}); it can no longer be changed.", stream.StartingVersion ?? 0));
        if (expected is { } version && version != stream.StartingVersion)
            return (null, Stale(id, stream.StartingVersion ?? 0, version));
        var maxEvents = request.HttpContext.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value.MaxEventsPerStatement;
        if (stream.StartingVersion >= maxEvents)
            return (null, LimitReached(
                $"Statement {id} has reached the limit of {maxEvents} events per statement (Limits:MaxEventsPerStatement); it can no longer be changed.",
                stream.StartingVersion ?? 0));
        return (stream, null);
    }

    /// <summary>
    /// Appends the event and commits; answers the new version (and its ETag). A concurrent change that
    /// committed first makes this a 409.
    /// </summary>
    public static async Task<IResult> AppendAsync(
        IDocumentSession session, IEventStream<Statement> stream, object @event, CancellationToken cancellation, int status = StatusCodes.Status200OK)
    {
        stream.AppendOne(@event);
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
        if (@event is StatementCorrected) Operations.Telemetry.StatementsCorrected.Add(1);
        else if (@event is StatementRetracted) Operations.Telemetry.StatementsRetracted.Add(1);
        return Changed(stream.Id, stream.CurrentVersion.GetValueOrDefault(), status);
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

    /// <summary>A 409 for a change that would take the statement past one of its limits (events, sources).</summary>
    public static IResult LimitReached(string detail, long currentVersion) => Conflict(detail, currentVersion);

    private static IResult Conflict(string detail, long currentVersion)
    {
        var problem = Problems.Conflict(detail);
        problem.Extensions["currentVersion"] = currentVersion;
        return problem.ToResult();
    }
}

public sealed record ChangeResponse(Guid Id, long Version);
