using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using StatementTracker.Security;
using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Statements.Recording;

/// <summary>The body of <c>POST /statements</c>.</summary>
[JsonBody]
public sealed record RecordStatement(
    Guid? StatementId,
    SpeakerInput? Speaker,
    string? Country,
    IReadOnlyList<string?>? Topics,
    string? Position,
    string? Stance,
    string? StatedOn,
    string? Quote,
    IReadOnlyList<string?>? Targets,
    string? Occasion,
    IReadOnlyList<SourceInput?>? Sources,
    OriginInput? Origin = null)
{
    /// <summary>
    /// The statement's id: the one given; else, for a dataset's record, the one derived from its origin (so the
    /// record imported twice is one statement); else a new one.
    /// </summary>
    public Guid IdOrNew() => StatementId ?? OriginInput.DerivedId(Origin) ?? Guid.CreateVersion7();

    /// <summary>The event this command records; call it only on a command that passed validation.</summary>
    public StatementRecorded ToEvent(Guid statementId, string recordedBy, string? recordedByName = null)
    {
        var content = new StatementContent(
            Speaker!.ToSpeaker(),
            Vocabulary.Countries.Normalise(Country)!,
            Normalise.Topics(Topics!),
            Position!.Trim(),
            Normalise.Stance(Stance),
            PartialDate.Parse(StatedOn!.Trim()),
            Normalise.OptionalText(Quote),
            Normalise.Countries(Targets),
            Normalise.OptionalText(Occasion));
        var sources = Normalise.Sources((Sources ?? []).Select(s => s!.ToSource()));
        return new StatementRecorded(statementId, content, sources, recordedBy, Origin?.ToOrigin(), recordedByName);
    }

    public sealed class Validator : RequestValidator<RecordStatement>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.StatementId).NotEqual(Guid.Empty).WithMessage("Must not be the empty UUID.");
            RuleFor(x => x.Speaker).NotNull().WithMessage("Required: an object with the speaker's name (and role).")
                .SetValidator(new SpeakerInput.Validator()!);
            RuleFor(x => x.Country).RequiredText(StatementRules.MaxCountryLength).KnownCountry();
            RuleFor(x => x.Topics).TopicList();
            RuleForEach(x => x.Topics).Topic();
            RuleFor(x => x.Position).RequiredText(StatementRules.MaxPositionLength);
            RuleFor(x => x.Stance).KnownStance();
            RuleFor(x => x.StatedOn).RequiredText(10).PastPartialDate(clock);
            RuleFor(x => x.Quote).Text(StatementRules.MaxQuoteLength, multiline: true);
            RuleFor(x => x.Targets).Must(t => t is null || t.Count <= StatementRules.MaxTargets)
                .WithMessage($"At most {StatementRules.MaxTargets} targets.");
            RuleForEach(x => x.Targets).NotNull().WithMessage("Required.").KnownCountry();
            RuleFor(x => x.Occasion).Text(StatementRules.MaxOccasionLength);
            RuleFor(x => x.Sources).Must(s => s is null || s.Count <= StatementRules.MaxSources)
                .WithMessage($"At most {StatementRules.MaxSources} sources.");
            RuleForEach(x => x.Sources).NotNull().WithMessage("Must be an object.")
                .SetValidator(new SourceInput.Validator(clock)!);
            RuleFor(x => x.Origin).SetValidator(new OriginInput.Validator()!);
            RuleFor(x => x.StatementId)
                .Must((command, id) => id is null || OriginInput.DerivedId(command.Origin) is not { } derived || derived == id)
                .When(x => x.Origin is { Dataset: not null, RecordId: not null })
                .WithMessage(x => $"A statement with an origin has the id derived from it ({OriginInput.DerivedId(x.Origin)}); leave statementId out or give that one.");
        }
    }
}

public static class RecordStatementEndpoint
{
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(RecordedResponse), 201)]
    [ProducesResponseType(typeof(RecordedResponse), 200)]
    [WolverinePost("/statements")]
    public static async Task<IResult> Post(RecordStatement command, StatementWriter writer, ClaimsPrincipal user, CancellationToken cancellation)
    {
        var recorded = command.ToEvent(command.IdOrNew(), Actors.IdOf(user), Actors.DisplayNameOf(user));
        var outcome = await writer.RecordAsync([recorded], cancellation);
        if (outcome.IsConflict)
            return Problems.Conflict(
                $"Statement {recorded.StatementId} was already recorded with different content. " +
                "Post a correction to change it, or use a new statementId.").ToResult();
        var result = outcome.Results[0];
        var body = new RecordedResponse(recorded.StatementId, result.Version);
        return result.Kind == RecordingOutcome.Recorded
            ? Results.Created($"/statements/{recorded.StatementId}", body)
            : Results.Ok(body);
    }
}

public sealed record RecordedResponse(Guid Id, long Version);
