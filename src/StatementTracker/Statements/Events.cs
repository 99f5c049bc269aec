using System.Text.Json.Serialization;
using StatementTracker.Vocabulary;

namespace StatementTracker.Statements;

// The events of a statement's stream. Their stored names are fixed in Configuration.cs, so a class
// can be renamed without breaking history. Time and version come from Marten's event metadata.

/// <summary>
/// What every statement event says about itself: who caused it, and why (when a reason applies).
/// <see cref="Actor"/> is the caller's stable identity (<c>key:{name}</c>, <c>jwt:{issuer}|{sub}</c>);
/// <see cref="ActorName"/> the display name beside it, absent from events recorded before it was kept.
/// </summary>
public interface IStatementEvent
{
    Guid StatementId { get; }
    string Actor { get; }
    string? ActorName => null;
    string? Reason => null;
}

/// <summary>A statement was recorded for the first time.</summary>
public sealed record StatementRecorded(
    Guid StatementId,
    StatementContent Content,
    IReadOnlyList<Source> Sources,
    string RecordedBy,
    Origin? Origin = null,
    string? RecordedByName = null) : IStatementEvent
{
    string IStatementEvent.Actor => RecordedBy;
    string? IStatementEvent.ActorName => RecordedByName;
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
    string CorrectedBy,
    string? CorrectedByName = null) : IStatementEvent
{
    string IStatementEvent.Actor => CorrectedBy;
    string? IStatementEvent.ActorName => CorrectedByName;
}

/// <summary>Another report of the statement was added.</summary>
public sealed record SourceAdded(Guid StatementId, Source Source, string AddedBy, string? AddedByName = null) : IStatementEvent
{
    string IStatementEvent.Actor => AddedBy;
    string? IStatementEvent.ActorName => AddedByName;
}

/// <summary>The statement was withdrawn (misattributed, never said, ...): it leaves every position, never the record.</summary>
public sealed record StatementRetracted(Guid StatementId, string Reason, string RetractedBy, string? RetractedByName = null) : IStatementEvent
{
    string IStatementEvent.Actor => RetractedBy;
    string? IStatementEvent.ActorName => RetractedByName;
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
