using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using StatementTracker.Security;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using Wolverine.Http;

namespace StatementTracker.Statements.AddingSources;

/// <summary>
/// <c>POST /statements/{id}/sources</c> with a <see cref="SourceInput"/> body: another report of the
/// statement. A report already cited (same URL) is kept once: the answer is 200 and nothing is appended.
/// A statement cites at most <see cref="StatementRules.MaxSources"/> reports, as when it is recorded: one more answers 409.
/// </summary>
public static class AddSourceEndpoint
{
    /// <summary>The event, or null when the statement already cites this report.</summary>
    public static SourceAdded? Decide(Statement statement, SourceInput input, string actor, string? actorName = null)
    {
        var source = input.ToSource();
        return statement.Sources.Any(source.SameReportAs) ? null : new SourceAdded(statement.Id, source, actor, actorName);
    }

    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(ChangeResponse), 201)]
    [ProducesResponseType(typeof(ChangeResponse), 200)]
    [WolverinePost("/statements/{id}/sources")]
    public static async Task<IResult> Post(
        string id, SourceInput source, HttpRequest request, IDocumentSession session, ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (stream, refusal) = await StatementStreams.FetchForChangeAsync(
            session, id, request, expectedVersion: null, versionRequired: false, cancellation);
        if (stream is null) return refusal!;

        var version = stream.StartingVersion ?? 0;
        if (Decide(stream.Aggregate!, source, Actors.IdOf(user), Actors.DisplayNameOf(user)) is not { } added) return StatementStreams.Changed(stream.Id, version);
        if (stream.Aggregate!.Sources.Count >= StatementRules.MaxSources)
            return StatementStreams.LimitReached(
                $"Statement {stream.Id} already cites {StatementRules.MaxSources} sources, the most a statement may cite.", version);
        return await StatementStreams.AppendAsync(session, stream, added, cancellation, StatusCodes.Status201Created);
    }
}
