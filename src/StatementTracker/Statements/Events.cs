using StatementTracker.Vocabulary;

namespace StatementTracker.Statements;

// The events of a statement's stream. Their stored names are fixed in Configuration.cs, so a class
// can be renamed without breaking history. Time and version come from Marten's event metadata.

/// <summary>A statement was recorded for the first time.</summary>
public sealed record StatementRecorded(
    Guid StatementId,
    StatementContent Content,
    IReadOnlyList<Source> Sources,
    string RecordedBy);

/// <summary>What was said, by whom, when and about what: everything a correction may change.</summary>
public sealed record StatementContent(
    Speaker Speaker,
    string Country,
    IReadOnlyList<string> Topics,
    string Position,
    string Stance,
    bool StanceInferred,
    PartialDate StatedOn,
    string? Quote,
    IReadOnlyList<string> Targets,
    string? Occasion);

public sealed record Speaker(string Name, string? Role);

/// <summary>A report of the statement: who published it, where, when.</summary>
public sealed record Source(string? Publisher, string? Url, PartialDate? PublishedOn);
