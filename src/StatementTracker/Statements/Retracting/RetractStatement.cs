using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using StatementTracker.Security;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using Wolverine.Http;

namespace StatementTracker.Statements.Retracting;

/// <summary>
/// The body of <c>POST /statements/{id}/retraction</c>: why the statement is withdrawn
/// (misattributed, never said, ...), and optionally the version retracted.
/// </summary>
[JsonBody]
public sealed record RetractStatement(string? Reason, long? ExpectedVersion)
{
    public StatementRetracted Decide(Statement statement, string actor, string? actorName = null) => new(statement.Id, Reason!.Trim(), actor, actorName);

    public sealed class Validator : RequestValidator<RetractStatement>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).RequiredText(Correcting.CorrectStatement.MaxReasonLength, multiline: true);
            RuleFor(x => x.ExpectedVersion).GreaterThanOrEqualTo(1).WithMessage("Must be a version of at least 1.");
        }
    }
}

public static class RetractStatementEndpoint
{
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(ChangeResponse), 200)]
    [WolverinePost("/statements/{id}/retraction")]
    public static async Task<IResult> Post(
        string id, RetractStatement command, HttpRequest request, IDocumentSession session, ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (stream, refusal) = await StatementStreams.FetchForChangeAsync(
            session, id, request, command.ExpectedVersion, versionRequired: false, cancellation);
        if (stream is null) return refusal!;

        return await StatementStreams.AppendAsync(session, stream, command.Decide(stream.Aggregate!, Actors.IdOf(user), Actors.DisplayNameOf(user)), cancellation);
    }
}
