using JasperFx.Events;
using StatementTracker.Vocabulary;

namespace StatementTracker.Statements;

public static class StatementStatus
{
    public const string Recorded = "recorded";
    public const string Retracted = "retracted";
}

/// <summary>
/// A statement as it stands now: the document behind <c>GET /statements/{id}</c> and the statement
/// list, built inline from the statement's own stream (so a read right after a write sees it).
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
    public required IReadOnlyList<Source> Sources { get; init; }
    public string Status { get; init; } = StatementStatus.Recorded;
    public long Version { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset LastChangedAt { get; init; }

    public static Statement Create(IEvent<StatementRecorded> recorded) =>
        new Statement
        {
            Id = recorded.Data.StatementId,
            Sources = recorded.Data.Sources,
            RecordedBy = recorded.Data.RecordedBy,
            Version = recorded.Version,
            RecordedAt = recorded.Timestamp,
            LastChangedAt = recorded.Timestamp,
        }.WithContent(recorded.Data.Content);

    private Statement WithContent(StatementContent content) => this with
    {
        Speaker = content.Speaker,
        Country = content.Country,
        Topics = content.Topics,
        Position = content.Position,
        Stance = content.Stance,
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
