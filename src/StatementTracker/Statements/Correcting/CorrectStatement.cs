using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using StatementTracker.Security;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Statements.Correcting;

/// <summary>
/// The body of <c>POST /statements/{id}/corrections</c>: the fields to change, why, and the version
/// corrected (or an <c>If-Match</c> header). A field left out (or null) stays as it is; an empty string
/// clears an optional text (<c>quote</c>, <c>occasion</c>, <c>speaker.role</c>), and an empty
/// <c>stance</c> returns to inferring the stance from the position.
/// </summary>
[JsonBody]
public sealed record CorrectStatement(
    long? ExpectedVersion,
    string? Reason,
    SpeakerInput? Speaker,
    string? Country,
    IReadOnlyList<string?>? Topics,
    string? Position,
    string? Stance,
    string? StatedOn,
    string? Quote,
    IReadOnlyList<string?>? Targets,
    string? Occasion)
{
    public const int MaxReasonLength = 1000;

    /// <summary>The content after this correction; call it only on a command that passed validation.</summary>
    public StatementContent Correct(StatementContent current) => current with
    {
        Speaker = Speaker is null ? current.Speaker : Speaker.ToSpeaker(),
        Country = Country is null ? current.Country : Vocabulary.Countries.Normalise(Country)!,
        Topics = Topics is null ? current.Topics : Normalise.Topics(Topics),
        Position = Position is null ? current.Position : Position.Trim(),
        Stance = Stance is null ? current.Stance : Normalise.Stance(Stance),
        StatedOn = StatedOn is null ? current.StatedOn : PartialDate.Parse(StatedOn.Trim()),
        Quote = Quote is null ? current.Quote : Normalise.OptionalText(Quote),
        Targets = Targets is null ? current.Targets : Normalise.Countries(Targets),
        Occasion = Occasion is null ? current.Occasion : Normalise.OptionalText(Occasion),
    };

    /// <summary>The event, or null when the correction would change nothing.</summary>
    public StatementCorrected? Decide(Statement statement, string actor, string? actorName = null)
    {
        var before = statement.ToContent();
        var after = Correct(before);
        return after.SameAs(before) ? null : new StatementCorrected(statement.Id, before, after, Reason!.Trim(), actor, actorName);
    }

    public sealed class Validator : RequestValidator<CorrectStatement>
    {
        private static bool HasIfMatch(ValidationContext<CorrectStatement> context) =>
            context.RootContextData.TryGetValue(StrictJsonBody.RequestKey, out var request)
            && request is HttpRequest { Headers.IfMatch.Count: > 0 };

        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.ExpectedVersion).GreaterThanOrEqualTo(1).WithMessage("Must be a version of at least 1.");
            // Checked here, not only after validation, so that a body missing both version and reason names both.
            RuleFor(x => x.ExpectedVersion).NotNull().When((_, context) => !HasIfMatch(context))
                .WithMessage("Required: the version you are correcting, as expectedVersion or as If-Match with the statement's ETag.");
            RuleFor(x => x.Reason).RequiredText(MaxReasonLength, multiline: true);
            RuleFor(x => x.Speaker).SetValidator(new SpeakerInput.Validator()!);
            RuleFor(x => x.Country).NotEmptyWhenGiven().Text(StatementRules.MaxCountryLength).KnownCountry();
            RuleFor(x => x.Topics).TopicList().When(x => x.Topics is not null);
            RuleForEach(x => x.Topics).Topic();
            RuleFor(x => x.Position).NotEmptyWhenGiven().Text(StatementRules.MaxPositionLength);
            RuleFor(x => x.Stance).KnownStance();
            RuleFor(x => x.StatedOn).NotEmptyWhenGiven().Text(10).PastPartialDate(clock);
            RuleFor(x => x.Quote).Text(StatementRules.MaxQuoteLength, multiline: true);
            RuleFor(x => x.Targets).Must(t => t is null || t.Count <= StatementRules.MaxTargets)
                .WithMessage($"At most {StatementRules.MaxTargets} targets.");
            RuleForEach(x => x.Targets).NotNull().WithMessage("Required.").KnownCountry();
            RuleFor(x => x.Occasion).Text(StatementRules.MaxOccasionLength);
        }
    }
}

public static class CorrectStatementEndpoint
{
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(ChangeResponse), 200)]
    [WolverinePost("/statements/{id}/corrections")]
    public static async Task<IResult> Post(
        string id, CorrectStatement command, HttpRequest request, IDocumentSession session, ClaimsPrincipal user, CancellationToken cancellation)
    {
        var (stream, refusal) = await StatementStreams.FetchForChangeAsync(
            session, id, request, command.ExpectedVersion, versionRequired: true, cancellation);
        if (stream is null) return refusal!;

        return command.Decide(stream.Aggregate!, Actors.IdOf(user), Actors.DisplayNameOf(user)) is { } corrected
            ? await StatementStreams.AppendAsync(session, stream, corrected, cancellation)
            : Problems.Invalid("$", "The correction changes nothing: every field given already has that value.").ToResult();
    }
}
