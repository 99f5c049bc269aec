using FluentValidation;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;

namespace StatementTracker.Statements;

// Request shapes shared by several commands. Everything is nullable so that a missing field is
// reported by the validator, by name, rather than failing deserialisation.

public sealed record SpeakerInput(string? Name, string? Role)
{
    public Speaker ToSpeaker() => new(Name!.Trim(), Normalise.OptionalText(Role));

    public sealed class Validator : RequestValidator<SpeakerInput>
    {
        public Validator()
        {
            RuleFor(x => x.Name).RequiredText(StatementRules.MaxNameLength);
            RuleFor(x => x.Role).Text(StatementRules.MaxRoleLength);
        }
    }
}

[JsonBody]
public sealed record SourceInput(string? Publisher, string? Url, string? PublishedOn)
{
    public Source ToSource() => new(
        Normalise.OptionalText(Publisher),
        Normalise.OptionalText(Url),
        string.IsNullOrWhiteSpace(PublishedOn) ? null : PartialDate.Parse(PublishedOn.Trim()));

    public sealed class Validator : RequestValidator<SourceInput>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x)
                .Must(x => !string.IsNullOrWhiteSpace(x.Publisher))
                .WithMessage("Required: who published the report (the url is optional).")
                .OverridePropertyName("publisher");
            RuleFor(x => x.Publisher).Text(StatementRules.MaxPublisherLength);
            RuleFor(x => x.Url).HttpUrl();
            RuleFor(x => x.PublishedOn).PastPartialDate(clock);
        }
    }
}

/// <summary>Where a statement was imported from: <c>{"dataset": "icews", "recordId": "32889836"}</c>.</summary>
[JsonBody]
public sealed record OriginInput(string? Dataset, string? RecordId)
{
    public Origin ToOrigin() => new(Dataset!.Trim().ToLowerInvariant(), RecordId!.Trim());

    /// <summary>The id a dataset's record gets, whoever imports it: a name-based UUID of dataset and record id.</summary>
    public static Guid? DerivedId(OriginInput? origin) =>
        origin is { Dataset: { } dataset, RecordId: { } recordId } && !string.IsNullOrWhiteSpace(dataset) && !string.IsNullOrWhiteSpace(recordId)
            ? Importing.NameBasedGuid.ForRecord(dataset.Trim().ToLowerInvariant(), recordId.Trim())
            : null;

    public sealed class Validator : RequestValidator<OriginInput>
    {
        public Validator()
        {
            RuleFor(x => x.Dataset).RequiredText(StatementRules.MaxDatasetLength)
                .Must(d => d is null || TopicSlug.IsValid(d.Trim().ToLowerInvariant()))
                .WithMessage("Must be a dataset name in lowercase letters, digits and hyphens, such as icews.");
            RuleFor(x => x.RecordId).RequiredText(StatementRules.MaxRecordIdLength);
        }
    }
}

public static class Normalise
{
    public static string? OptionalText(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A stated stance code, or null when none is stated (it is then inferred from the position).</summary>
    public static string? Stance(string? value) => OptionalText(value)?.ToLowerInvariant();

    public static IReadOnlyList<string> Countries(IEnumerable<string?>? values) =>
        (values ?? []).Select(v => Vocabulary.Countries.Normalise(v)!).Distinct().ToArray();

    public static IReadOnlyList<string> Topics(IEnumerable<string?> values) =>
        values.Select(v => v!).Distinct().ToArray();

    /// <summary>One source per report: a second report at the same URL adds nothing.</summary>
    public static IReadOnlyList<Source> Sources(IEnumerable<Source> sources) =>
        sources.Aggregate(new List<Source>(), (kept, source) =>
        {
            if (!kept.Any(source.SameReportAs)) kept.Add(source);
            return kept;
        });
}
