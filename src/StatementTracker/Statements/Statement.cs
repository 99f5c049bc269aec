using System.Text.Json.Serialization;
using JasperFx.Events;
using StatementTracker.Vocabulary;

namespace StatementTracker.Statements;

public static class StatementStatus
{
    public const string Recorded = "recorded";
    public const string Retracted = "retracted";
}

public sealed record Retraction(string Reason, string By, DateTimeOffset At);

/// <summary>
/// A statement as it stands: built from its own stream, inline for the statement list and live (also at
/// an earlier version or instant) for <c>GET /statements/{id}</c>. Every Apply is pure and takes its
/// time from the event, so a rebuild gives the same document.
/// </summary>
public sealed record Statement
{
    public Guid Id { get; init; }
    public Speaker Speaker { get; init; } = new(string.Empty, null);
    public string Country { get; init; } = string.Empty;
    public IReadOnlyList<string> Topics { get; init; } = [];
    public string Position { get; init; } = string.Empty;
    public string Stance { get; init; } = Stances.Unclassified;
    public bool StanceInferred { get; init; }
    public PartialDate StatedOn { get; init; }

    /// <summary>The days a partial <see cref="StatedOn"/> spans; what date filters and ordering use.</summary>
    public DateSpan StatedWithin { get; init; } = new(DateOnly.MinValue, DateOnly.MinValue);

    public string? Quote { get; init; }
    public IReadOnlyList<string> Targets { get; init; } = [];
    public string? Occasion { get; init; }
    public IReadOnlyList<Source> Sources { get; init; } = [];

    /// <summary>The dataset record the statement was imported from, if any.</summary>
    public Origin? Origin { get; init; }

    public string Status { get; init; } = StatementStatus.Recorded;
    public Retraction? Retraction { get; init; }
    public long Version { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = string.Empty;
    public DateTimeOffset LastChangedAt { get; init; }
    public int Corrections { get; init; }

    [JsonIgnore]
    public bool IsRetracted => Status == StatementStatus.Retracted;

    /// <summary>The content as recorded or last corrected: what a correction starts from.</summary>
    public StatementContent ToContent() =>
        new(Speaker, Country, Topics, Position, StanceInferred ? null : Stance, StatedOn, Quote, Targets, Occasion);

    public static Statement Create(IEvent<StatementRecorded> e) =>
        new Statement
        {
            Id = e.Data.StatementId,
            Sources = e.Data.Sources,
            Origin = e.Data.Origin,
            RecordedAt = e.Timestamp,
            RecordedBy = e.Data.RecordedBy,
        }.With(e.Data.Content).Changed(e);

    public Statement Apply(IEvent<StatementCorrected> e) =>
        With(e.Data.After).Changed(e) with { Corrections = Corrections + 1 };

    public Statement Apply(IEvent<SourceAdded> e) =>
        (this with { Sources = [.. Sources, e.Data.Source] }).Changed(e);

    public Statement Apply(IEvent<StatementRetracted> e) =>
        (this with
        {
            Status = StatementStatus.Retracted,
            Retraction = new Retraction(e.Data.Reason, e.Data.RetractedBy, e.Timestamp),
        }).Changed(e);

    private Statement Changed(IEvent e) => this with { Version = e.Version, LastChangedAt = e.Timestamp };

    private Statement With(StatementContent content) => this with
    {
        Speaker = content.Speaker,
        Country = content.Country,
        Topics = content.Topics,
        Position = content.Position,
        Stance = content.EffectiveStance,
        StanceInferred = content.StanceInferred,
        StatedOn = content.StatedOn,
        StatedWithin = DateSpan.Of(content.StatedOn),
        Quote = content.Quote,
        Targets = content.Targets,
        Occasion = content.Occasion,
    };
}

public sealed record DateSpan(DateOnly From, DateOnly To)
{
    public static DateSpan Of(PartialDate date) => new(date.FirstDay, date.LastDay);
}
