using System.Text.Json.Serialization;
using StatementTracker.Vocabulary;

namespace StatementTracker.Statements;

// The events of a statement's stream. Their stored names are fixed in Configuration.cs, so a class
// can be renamed without breaking history. Time and version come from Marten's event metadata.

/// <summary>What every statement event says about itself: who caused it, and why (when a reason applies).</summary>
public interface IStatementEvent
{
    Guid StatementId { get; }
    string Actor { get; }
    string? Reason => null;
}

/// <summary>A statement was recorded for the first time.</summary>
public sealed record StatementRecorded(
    Guid StatementId,
    StatementContent Content,
    IReadOnlyList<Source> Sources,
    string RecordedBy,
    Origin? Origin = null) : IStatementEvent
{
    string IStatementEvent.Actor => RecordedBy;
}

/// <summary>
/// Where an imported statement comes from: a dataset (<c>icews</c>, <c>gdelt</c>, <c>polecat</c>, or a name of
/// the client's choosing) and the record's id in it. Fixed when the statement is recorded; never corrected.
/// </summary>
public sealed record Origin(string Dataset, string RecordId);

/// <summary>An analyst corrected what was recorded; both versions are kept.</summary>
public sealed record StatementCorrected(
    Guid StatementId,
    StatementContent Before,
    StatementContent After,
    string Reason,
    string CorrectedBy) : IStatementEvent
{
    string IStatementEvent.Actor => CorrectedBy;
}

/// <summary>Another report of the statement was added.</summary>
public sealed record SourceAdded(Guid StatementId, Source Source, string AddedBy) : IStatementEvent
{
    string IStatementEvent.Actor => AddedBy;
}

/// <summary>The statement was withdrawn (misattributed, never said, ...): it leaves every position, never the record.</summary>
public sealed record StatementRetracted(Guid StatementId, string Reason, string RetractedBy) : IStatementEvent
{
    string IStatementEvent.Actor => RetractedBy;
}

/// <summary>What was said, by whom, when and about what: everything a correction may change.</summary>
/// <param name="Stance">
/// The stance the client stated, or null: then the stance is inferred from <paramref name="Position"/>
/// wherever it is shown, so a replay applies improved inference rules to all history.
/// </param>
public sealed record StatementContent(
    Speaker Speaker,
    string Country,
    IReadOnlyList<string> Topics,
    string Position,
    string? Stance,
    PartialDate StatedOn,
    string? Quote,
    IReadOnlyList<string> Targets,
    string? Occasion)
{
    /// <summary>The stance to show: the stated one, else the one inferred from the position.</summary>
    [JsonIgnore]
    public string EffectiveStance => Stance ?? StanceInference.Infer(Position).Stance;

    [JsonIgnore]
    public bool StanceInferred => Stance is null;

    /// <summary>Value equality, lists included (records compare lists by reference).</summary>
    public bool SameAs(StatementContent other) =>
        Speaker == other.Speaker && Country == other.Country && Topics.SequenceEqual(other.Topics)
        && Position == other.Position && Stance == other.Stance && StatedOn == other.StatedOn
        && Quote == other.Quote && Targets.SequenceEqual(other.Targets) && Occasion == other.Occasion;
}

public sealed record Speaker(string Name, string? Role);

/// <summary>A report of the statement: who published it, where, when.</summary>
public sealed record Source(string? Publisher, string? Url, PartialDate? PublishedOn)
{
    /// <summary>Two reports at the same URL are the same report; without a URL, the same publisher and date are.</summary>
    public bool SameReportAs(Source other) =>
        Url is not null || other.Url is not null
            ? Url is not null && other.Url is not null && UrlKey(Url) == UrlKey(other.Url)
            : string.Equals(Publisher, other.Publisher, StringComparison.OrdinalIgnoreCase) && PublishedOn == other.PublishedOn;

    private static string UrlKey(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsoluteUri : url;
}
