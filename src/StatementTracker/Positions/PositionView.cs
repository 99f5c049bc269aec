using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions;

/// <summary>
/// Which statements a position read counts: those stated on or before <paramref name="AsOf"/> (a partial
/// date counts once all of it has passed), as the tracker knew them at the instant <paramref name="KnownAt"/>
/// (only events recorded at or before it: later corrections and retractions do not apply). Null means
/// no limit: every statement, as it stands now: the present view, which the projection keeps summaries of.
/// </summary>
public sealed record PositionView(PartialDate? AsOf, DateTimeOffset? KnownAt)
{
    public static readonly PositionView Present = new(null, null);

    public bool IsPresent => AsOf is null && KnownAt is null;

    /// <summary>The SQL condition for the rows of <paramref name="alias"/> this view counts (parameters @known_at, @as_of).</summary>
    public string Visible(string alias = "e")
    {
        var condition = KnownAt is null
            ? $"{alias}.known_until is null"
            : $"{alias}.known_from <= @known_at and ({alias}.known_until is null or {alias}.known_until > @known_at)";
        return AsOf is null ? condition : $"{condition} and {alias}.stated_to <= @as_of";
    }

    /// <summary>The view's parameters joined with a query's own.</summary>
    public Dictionary<string, object?> Parameters(object? others = null)
    {
        var parameters = new Dictionary<string, object?>();
        if (KnownAt is { } knownAt) parameters["known_at"] = knownAt;
        if (AsOf is { } asOf) parameters["as_of"] = asOf.LastDay;
        if (others is not null)
            foreach (var property in others.GetType().GetProperties()) parameters[property.Name] = property.GetValue(others);
        return parameters;
    }
}

/// <summary>Where an entry sits in a country's history on a topic: what history pages are keyed on.</summary>
public sealed record HistoryKey(DateOnly StatedFrom, short Precision, long RecordedSeq)
{
    public string ToCursor() => Cursor.Encode(StatedFrom.DayNumber.ToString(), Precision.ToString(), RecordedSeq.ToString());

    public static HistoryKey? FromCursor(string? cursor) =>
        Cursor.Decode(cursor, 3) is [var day, var precision, var seq]
        && int.TryParse(day, out var dayNumber) && dayNumber is >= 0 and <= 3652058
        && short.TryParse(precision, out var p) && long.TryParse(seq, out var s)
            ? new HistoryKey(DateOnly.FromDayNumber(dayNumber), p, s)
            : null;

    public static HistoryKey Read(SqlRow row, string prefix = "") =>
        new(row.Get<DateOnly>(prefix + "stated_from"), row.Get<short>(prefix + "stated_precision"), row.Get<long>(prefix + "recorded_seq"));
}
