using Marten;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions.Shifts;

/// <summary>A shift in the tracker-wide feed: whose, on what, from which stance to which, when said and when recorded.</summary>
public sealed record FeedShift(
    string Country, string Topic, StanceOf From, StanceOf To, PartialDate StatedOn, Guid StatementId, DateTimeOffset RecordedAt);

public sealed record ShiftFeedPage(IReadOnlyList<FeedShift> Items, string? Next);

/// <summary>Which shifts the feed lists: optionally one country, one topic, and those stated on or after a date.</summary>
public sealed record ShiftFilter(string? Country, string? Topic, PartialDate? Since);

/// <summary>
/// The present shifts across the tracker, newest stated first, from the shifts the projection keeps: a
/// correction or retraction that removes a shift removes it here too.
/// </summary>
public static class ShiftFeed
{
    public static async Task<ShiftFeedPage> ReadAsync(
        IQuerySession session, ShiftFilter filter, FeedKey? after, int limit, CancellationToken cancellation)
    {
        var (entries, _) = PositionQueries.Tables(session);
        var conditions = new List<string> { "true" };
        var parameters = new Dictionary<string, object?> { ["limit"] = limit + 1 };
        if (filter.Country is { } country) { conditions.Add("s.country = @country"); parameters["country"] = country; }
        if (filter.Topic is { } topic) { conditions.Add("s.topic = @topic"); parameters["topic"] = topic; }
        if (filter.Since is { } since) { conditions.Add("s.stated_from >= @since"); parameters["since"] = since.FirstDay; }
        if (after is not null)
        {
            conditions.Add("(s.stated_from, s.stated_precision, s.recorded_seq, s.topic) < (@key_from, @key_precision, @key_seq, @key_topic)");
            parameters["key_from"] = after.Key.StatedFrom;
            parameters["key_precision"] = after.Key.Precision;
            parameters["key_seq"] = after.Key.RecordedSeq;
            parameters["key_topic"] = after.Topic;
        }
        var sql = $"""
            select s.country, s.topic, s.shift_from, e.stance, e.stated_on, s.statement_id, e.known_from,
              s.stated_from, s.stated_precision, s.recorded_seq
            from {PositionQueries.Shifts(session)} s join {entries} e using (statement_id, topic, revision)
            where {string.Join(" and ", conditions)}
            order by s.stated_from desc, s.stated_precision desc, s.recorded_seq desc, s.topic desc
            limit @limit
            """;
        var rows = await session.ListAsync(sql, parameters, row => (
            Shift: new FeedShift(
                row.Get<string>("country"), row.Get<string>("topic"),
                StanceOf.Code(row.Get<string>("shift_from")), StanceOf.Code(row.Get<string>("stance")),
                PartialDate.Parse(row.Get<string>("stated_on")), row.Get<Guid>("statement_id"), row.Get<DateTimeOffset>("known_from")),
            Key: new FeedKey(HistoryKey.Read(row), row.Get<string>("topic"))), cancellation);
        var page = rows.Take(limit).ToArray();
        return new ShiftFeedPage(page.Select(r => r.Shift).ToArray(), rows.Count > limit ? page[^1].Key.ToCursor() : null);
    }
}

/// <summary>Where a shift sits in the feed's order.</summary>
public sealed record FeedKey(HistoryKey Key, string Topic)
{
    public string ToCursor() => Cursor.Encode(Key.ToCursor(), Topic);

    public static FeedKey? FromCursor(string? cursor) =>
        Cursor.Decode(cursor, 2) is [var key, var topic] && HistoryKey.FromCursor(key) is { } historyKey && TopicSlug.IsValid(topic)
            ? new FeedKey(historyKey, topic)
            : null;
}
