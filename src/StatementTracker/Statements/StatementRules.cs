using FluentValidation;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;

namespace StatementTracker.Statements;

/// <summary>Limits and field rules shared by recording and correcting a statement.</summary>
public static class StatementRules
{
    public const int MaxNameLength = 200;
    public const int MaxDatasetLength = 40;
    public const int MaxRecordIdLength = 200;
    public const int MaxRoleLength = 200;
    public const int MaxPositionLength = 500;
    public const int MaxQuoteLength = 5000;
    public const int MaxOccasionLength = 300;
    public const int MaxPublisherLength = 200;
    public const int MaxUrlLength = 2048;
    public const int MaxTopics = 10;
    public const int MaxTargets = 20;
    public const int MaxSources = 20;
    public const int MaxCountryLength = 100;

    public static IRuleBuilderOptions<T, string?> KnownCountry<T>(this IRuleBuilder<T, string?> rule) =>
        rule
            .Must(value => value is null || Countries.IsKnown(value))
            .WithMessage("Unknown country: use an ISO 3166-1 code (\"JPN\", \"JP\"), an English name (\"Japan\") or a listed organisation (\"EU\").");

    public static IRuleBuilderOptions<T, IReadOnlyList<string?>?> TopicList<T>(this IRuleBuilder<T, IReadOnlyList<string?>?> rule) =>
        rule
            .Must(topics => topics is { Count: >= 1 and <= MaxTopics })
            .WithMessage($"Give between 1 and {MaxTopics} topics.");

    public static IRuleBuilderOptions<T, string?> Topic<T>(this IRuleBuilder<T, string?> rule) =>
        rule
            .Must(TopicSlug.IsValid)
            .WithMessage($"Must be a lowercase kebab-case slug such as \"china-russia-relations\" (a-z, 0-9 and single hyphens, at most {TopicSlug.MaxLength} characters).");

    public static IRuleBuilderOptions<T, string?> KnownStance<T>(this IRuleBuilder<T, string?> rule) =>
        rule
            .Must(value => string.IsNullOrWhiteSpace(value) || Stances.IsKnown(value.Trim().ToLowerInvariant()))
            .WithMessage($"Must be one of: {string.Join(", ", Stances.Codes)} (or leave it out to infer it from the position).");

    /// <summary>A date of the form YYYY, YYYY-MM or YYYY-MM-DD, from 1800 up to today (UTC).</summary>
    public static IRuleBuilderOptions<T, string?> PastPartialDate<T>(this IRuleBuilder<T, string?> rule, TimeProvider clock) =>
        rule
            .Must(value => value is null || PartialDate.TryParse(value, out _))
            .WithMessage("Must be a date of the form YYYY, YYYY-MM or YYYY-MM-DD.")
            .Must(value => value is null || !PartialDate.TryParse(value, out var date) || date.Year >= PartialDate.EarliestYear)
            .WithMessage($"Must not be before {PartialDate.EarliestYear}.")
            .Must(value => value is null || !PartialDate.TryParse(value, out var date) || date.FirstDay <= Today(clock))
            .WithMessage("Must not be in the future.");

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule
            .Must(value => value is null || IsHttpUrl(value.Trim()))
            .WithMessage("Must be an absolute http or https URL.")
            .Text(MaxUrlLength);

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

public static class OptionalFieldRules
{
    /// <summary>A field a correction may leave out, but not blank out.</summary>
    public static IRuleBuilderOptions<T, string?> NotEmptyWhenGiven<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || !string.IsNullOrWhiteSpace(value)).WithMessage("Must not be empty: leave the field out to keep it.");
}
