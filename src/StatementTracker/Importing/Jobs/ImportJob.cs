namespace StatementTracker.Importing.Jobs;

public static class ImportStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// An import sent over HTTP: its file waits in <see cref="ImportFilesTable"/> until a node runs it, and this
/// document shows where it stands. A run interrupted by a restart starts again from the top: rows already
/// loaded are found already present, so the counts of the finished run are the file's.
/// </summary>
public sealed record ImportJob
{
    public Guid Id { get; init; }
    public string Format { get; init; } = "";
    public string State { get; init; } = ImportStates.Queued;
    public string RequestedBy { get; init; } = "";
    public long Bytes { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int Attempts { get; init; }

    /// <summary>How far into the file the run is, 0 to 1.</summary>
    public double Progress { get; init; }

    public double StatementsPerSecond { get; init; }
    public long Read { get; init; }
    public long Imported { get; init; }
    public long AlreadyPresent { get; init; }
    public Dictionary<string, long> Skipped { get; init; } = [];
    public long Rejected { get; init; }

    /// <summary>Why the import failed (the file is not of its format, ...).</summary>
    public string? Error { get; init; }

    public ImportJob With(ImportReport report, double progress, double rate) => this with
    {
        Read = report.Read,
        Imported = report.Imported,
        AlreadyPresent = report.AlreadyPresent,
        Skipped = new Dictionary<string, long>(report.Skipped),
        Rejected = report.Rejected,
        Progress = progress,
        StatementsPerSecond = Math.Round(rate),
    };
}
