using StatementTracker.Statements.Recording;

namespace StatementTracker.Importing;

/// <summary>What an import did: rows read, statements imported, already present, skipped (by reason) and rejected.</summary>
public sealed class ImportReport
{
    public long Read { get; set; }
    public long Imported { get; set; }
    public long AlreadyPresent { get; set; }
    public long Rejected { get; set; }
    public Dictionary<string, long> Skipped { get; } = new(StringComparer.Ordinal);

    public long SkippedTotal => Skipped.Values.Sum();

    public void Skip(string reason) => Skipped[reason] = Skipped.GetValueOrDefault(reason) + 1;

    public override string ToString() =>
        $"read {Read:N0}, imported {Imported:N0}, already present {AlreadyPresent:N0}, " +
        $"skipped {SkippedTotal:N0}{(Skipped.Count == 0 ? "" : " (" + string.Join(", ", Skipped.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}")) + ")")}, " +
        $"rejected {Rejected:N0}";
}

/// <summary>One row of an import file, read and checked: a statement to load, a row skipped with its reason, or a row rejected with its errors.</summary>
public abstract record ImportRow(long Row)
{
    public sealed record Statement(long Row, Statements.StatementRecorded Recorded) : ImportRow(Row)
    {
        /// <summary>The statement made ready for the bulk load off the loading thread: stamped and serialised.</summary>
        public PreparedStatement? Prepared { get; init; }
    }

    public sealed record Skipped(long Row, string Reason) : ImportRow(Row);

    public sealed record Rejected(long Row, IReadOnlyDictionary<string, string[]> Errors, string Text) : ImportRow(Row);
}
