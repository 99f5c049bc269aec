using Marten;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions;

/// <summary>A country's current stance on a topic, as topic reads list it.</summary>
public sealed record CountryStance(string Country, HistoryEntry Entry);

/// <summary>A page of a history or of shifts, newest page first, oldest first within the page.</summary>
/// <param name="Next">The cursor for the page before this one (older entries), or null on the first page of history.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// Reads the position tables. The present view reads the summaries and shifts the projection keeps; a view
/// with <c>asOf</c> or <c>knownAt</c> works them out in SQL from the rows visible in it, by the same rules
/// (<see cref="TopicTimeline"/>). Every limit applies in SQL.
/// </summary>
public static class PositionQueries
{
    private const string KeyAfter = "(e.stated_from, e.stated_precision, e.recorded_seq) < (@key_from, @key_precision, @key_seq)";

    /// <summary>Each topic the country has spoken on (or one topic), with its current entry, totals and last shift.</summary>
    public static Task<List<TopicSummary>> SummariesAsync(
        IQuerySession session, string country, string? topic, PositionView view, CancellationToken cancellation)
    {
        var (entries, summaries) = Tables(session);
        var shifts = Shifts(session);
        var years = PositionYearsTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName);
        var oneTopic = topic is null ? "" : "and {0}.topic = @topic";
        var visible = IndexBoundedVisible(view);
        var totals = view switch
        {
            { KnownAt: null } => SettledTotals(entries, summaries, shifts, years, visible, string.Format(oneTopic, "m")),
            { AsOf: null } => InstantTotals(entries, summaries, shifts, years, visible, oneTopic),
            _ => VisibleTotals(entries, visible, string.Format(oneTopic, "e")),
        };
        var sql = view.IsPresent
            ? $"""
               select m.topic, m.history_total, m.shifts_total, {Columns("c", "c_")}, ls.shift_from as l_from, {Columns("l", "l_")}
               from {summaries} m
               join {entries} c on c.statement_id = m.current_statement_id and c.topic = m.topic and c.revision = m.current_revision
               left join {shifts} ls on ls.statement_id = m.last_shift_statement_id and ls.topic = m.topic and ls.revision = m.last_shift_revision
               left join {entries} l on l.statement_id = ls.statement_id and l.topic = ls.topic and l.revision = ls.revision
               where m.country = @country {string.Format(oneTopic, "m")}
               order by m.topic
               """
            : $"""
               with totals as materialized ({totals})
               select t.topic, t.history_total, t.shifts_total, {Columns("c", "c_")}, ls.prev as l_from, {Columns("l", "l_")}
               from totals t
               cross join lateral {LatestEntry(entries, "e.country = @country and e.topic = t.topic", visible)} c
               left join lateral (
                 select x.statement_id, x.revision, x.prev from (
                   select e.statement_id, e.revision, e.stance,
                     lead(e.stance) over (order by {PositionEntriesTable.Order("e", descending: true)}) as prev
                   from {entries} e where e.country = @country and e.topic = t.topic and e.substantive and {visible}
                   order by {PositionEntriesTable.Order("e", descending: true)}) x
                 where x.prev <> x.stance
                 limit 1) ls on true
               left join {entries} l on l.statement_id = ls.statement_id and l.topic = t.topic and l.revision = ls.revision
               where t.history_total > 0
               order by t.topic
               """;
        // Where SettledTotals' settled rows end: every row stated before the first day of the date's year has ended by it.
        var settledBefore = view.AsOf is { } asOf ? new DateOnly(asOf.Year, 1, 1) : (DateOnly?)null;
        return session.ListAsync(sql, view.Parameters(new { country, topic, settled_before = settledBefore, settled_year = settledBefore?.Year }), row => new TopicSummary(
            row.Get<string>("topic"),
            Entry(row, "c_"),
            row.Get<int>("history_total"),
            row.Get<int>("shifts_total"),
            row.IsNull("l_statement_id") ? null : Shift(row, "l_", row.Get<string>("l_from"))), cancellation);
    }

    /// <summary>
    /// Each topic's totals in a view at a past date as known now. Every row stated before the date's year
    /// (<c>@settled_before</c>) is visible in it, and present, so that part of the history counts as it does now,
    /// shifts included: a long history's from its counts by year (<see cref="PositionYearsTable"/>), a short one's
    /// from its index entries (fewer than <see cref="PositionYearsTable.LongHistory"/>). Only the date's year is
    /// walked in order, for its rows and shifts, from the stance before it. So a read grows with one year of
    /// history at most, never with the whole of it.
    /// </summary>
    private static string SettledTotals(string entries, string summaries, string shifts, string years, string visible, string oneTopic)
    {
        string Count(string table, string alias, string condition) =>
            $"(select count(*)::int from {table} {alias} where {alias}.country = @country and {alias}.topic = m.topic and {condition})";
        var isLong = $"m.history_total >= {PositionYearsTable.LongHistory}";
        return $"""
            select m.topic,
              case when {isLong} then y.history_total + {Count(entries, "e", $"e.stated_from >= @settled_before and {visible}")}
                   else {Count(entries, "e", visible)} end as history_total,
              case when {isLong} then y.shifts_total
                   else {Count(shifts, "s", "s.stated_from < @settled_before")} end
                + w.shifts as shifts_total
            from {summaries} m
            cross join lateral (
              select coalesce(sum(y.history_total), 0)::int as history_total, coalesce(sum(y.shifts_total), 0)::int as shifts_total
              from {years} y where y.country = @country and y.topic = m.topic and y.year < @settled_year and {isLong}) y
            cross join lateral {ShiftsFrom(entries, "m.topic", "@settled_before", visible)} w
            where m.country = @country {oneTopic}
            """;
    }

    /// <summary>
    /// A lateral subquery (column <c>shifts</c>): the shifts among the country's rows on <paramref name="topic"/> visible in
    /// the view and stated on or after <paramref name="from"/>, the first of them compared with the last present
    /// substantive stance before it. For callers whose view holds the rows stated before <paramref name="from"/> as
    /// they are now, so that the walk can start there.
    /// </summary>
    private static string ShiftsFrom(string entries, string topic, string from, string visible) =>
        $"""
            (select count(*)::int as shifts from (
               select e.stance, lag(e.stance, 1, b.before) over (order by {PositionEntriesTable.Order("e")}) as prev
               from (select (
                 select prior.stance from {entries} prior
                 where prior.country = @country and prior.topic = {topic} and prior.known_until is null and prior.substantive and prior.stated_from < {from}
                 order by {PositionEntriesTable.Order("prior", descending: true)} limit 1) as before) b
               cross join {entries} e
               where e.country = @country and e.topic = {topic} and e.substantive and e.stated_from >= {from} and {visible}) x
             where x.prev <> x.stance)
            """;

    /// <summary>
    /// Each topic's totals at a past instant, the cheaper way: from the present ones and what changed since
    /// (<see cref="ChangedSinceTotals"/>) while at most a quarter of the country's present rows were recorded after
    /// the instant, otherwise from the rows visible at it (<see cref="VisibleTotals"/>), which are then fewer. The
    /// count stops at that quarter, and only the side chosen runs.
    /// </summary>
    private static string InstantTotals(string entries, string summaries, string shifts, string years, string visible, string oneTopic)
    {
        return $"""
            with quarter as materialized (
              select coalesce(sum(m.history_total), 0) / 4 as n from {summaries} m where m.country = @country {string.Format(oneTopic, "m")}),
            side as materialized (
              select (
                select count(*) from (
                  select 1 from {entries} e
                  where e.country = @country {string.Format(oneTopic, "e")} and e.known_until is null and e.known_from > @known_at
                  limit (select n from quarter) + 1) x) <= (select n from quarter) as from_present)
            select * from ({ChangedSinceTotals(entries, summaries, shifts, years, visible, oneTopic)}) p where (select from_present from side)
            union all
            select * from ({VisibleTotals(entries, visible, string.Format(oneTopic, "e"))}) v where not (select from_present from side)
            """;
    }

    /// <summary>
    /// Each topic's totals as the tracker showed them at a past instant, from the present ones. The history at the
    /// instant differs from the present one only by the rows whose visibility changed since: present rows recorded
    /// after it, and rows visible at it that were closed after it, found by their own index. Totals are the
    /// present ones less the first and plus the second. Shifts are the present ones with the part of the history
    /// from the earliest changed row on counted again as seen at the instant: before that row the two histories
    /// are the same rows, so the walk starts from the present stance before it; the present shifts it replaces are
    /// counted by year where the history is long. A read grows with what changed since the instant and the history
    /// after it, not with the whole history.
    /// </summary>
    private static string ChangedSinceTotals(string entries, string summaries, string shifts, string years, string visible, string oneTopic) =>
        $"""
            with changed as materialized (
              select e.topic, false as present, e.stated_from from {entries} e
              where e.country = @country {string.Format(oneTopic, "e")} and e.known_until > @known_at and e.known_from <= @known_at
              union all
              select e.topic, true, e.stated_from from {entries} e
              where e.country = @country {string.Format(oneTopic, "e")} and e.known_until is null and e.known_from > @known_at),
            changes as (
              select topic, count(*) filter (where present)::int as recorded_since, count(*) filter (where not present)::int as closed_since,
                min(stated_from) as since
              from changed group by topic),
            pairs as (
              select coalesce(m.topic, c.topic) as topic, coalesce(m.history_total, 0) as history_total,
                coalesce(m.shifts_total, 0) as shifts_total, c.recorded_since, c.closed_since, c.since
              from (select m.topic, m.history_total, m.shifts_total from {summaries} m where m.country = @country {string.Format(oneTopic, "m")}) m
              full join changes c on c.topic = m.topic)
            select p.topic,
              p.history_total - coalesce(p.recorded_since, 0) + coalesce(p.closed_since, 0) as history_total,
              p.shifts_total - coalesce(n.present_shifts, 0) + coalesce(w.shifts, 0) as shifts_total
            from pairs p
            left join lateral (
              select case when p.history_total >= {PositionYearsTable.LongHistory}
                  then (select coalesce(sum(y.shifts_total), 0) from {years} y
                        where y.country = @country and y.topic = p.topic and y.year > extract(year from p.since))
                     + (select count(*) from {shifts} s where s.country = @country and s.topic = p.topic
                          and s.stated_from >= p.since and s.stated_from < make_date(extract(year from p.since)::int + 1, 1, 1))
                  else (select count(*) from {shifts} s where s.country = @country and s.topic = p.topic and s.stated_from >= p.since)
                end::int as present_shifts) n on p.since is not null
            left join lateral {ShiftsFrom(entries, "p.topic", "p.since", visible)} w on p.since is not null
            """;

    /// <summary>Each topic's totals in a view at a past date and instant, from one pass over the country's index (index-only) for the history and one for the shifts.</summary>
    private static string VisibleTotals(string entries, string visible, string oneTopic) =>
        $"""
            select t.topic, t.history_total, coalesce(st.shifts_total, 0) as shifts_total
            from (
              select e.topic, count(*)::int as history_total from {entries} e
              where e.country = @country {oneTopic} and {visible}
              group by e.topic) t
            left join (
              select s.topic, count(*)::int as shifts_total from (
                select e.topic, e.stance, lag(e.stance) over (partition by e.topic order by {PositionEntriesTable.Order("e")}) as prev
                from {entries} e where e.country = @country {oneTopic} and e.substantive and {visible}) s
              where s.prev <> s.stance
              group by s.topic) st on st.topic = t.topic
            """;

    /// <summary>A page of the country's history on the topic, going back from <paramref name="before"/>.</summary>
    public static async Task<Page<HistoryEntry>> HistoryAsync(
        IQuerySession session, string country, string topic, PositionView view, HistoryKey? before, int limit, CancellationToken cancellation)
    {
        var (entries, _) = Tables(session);
        var sql = $"""
            select {Columns("e", "")}, e.stated_from, e.stated_precision, e.recorded_seq from {entries} e
            where e.country = @country and e.topic = @topic and {view.Visible()} {(before is null ? "" : "and " + KeyAfter)}
            order by {PositionEntriesTable.Order("e", descending: true)}
            limit @limit
            """;
        var rows = await session.ListAsync(sql, WithKey(view.Parameters(new { country, topic, limit = limit + 1 }), before),
            row => (Entry: Entry(row, ""), Key: HistoryKey.Read(row)), cancellation);
        return ToPage(rows, limit, r => r.Entry, r => r.Key);
    }

    /// <summary>A page of the country's shifts on the topic, going back from <paramref name="before"/>.</summary>
    public static async Task<Page<Shift>> ShiftsAsync(
        IQuerySession session, string country, string topic, PositionView view, HistoryKey? before, int limit, CancellationToken cancellation)
    {
        var (entries, _) = Tables(session);
        var sql = view.IsPresent
            // The page's shifts are picked first and only they are joined to their entries: with the join outside
            // the limit, the planner (which takes JPN's 3,000 shifts on a topic for a few hundred) joined them all.
            ? $"""
               select {Columns("e", "")}, s.shift_from as prev, e.stated_from, e.stated_precision, e.recorded_seq
               from (
                 select s.statement_id, s.topic, s.revision, s.shift_from, s.stated_from, s.stated_precision, s.recorded_seq
                 from {Shifts(session)} s
                 where s.country = @country and s.topic = @topic
                   {(before is null ? "" : "and " + KeyAfter.Replace("e.", "s."))}
                 order by {PositionEntriesTable.Order("s", descending: true)}
                 limit @limit) s
               join {entries} e using (statement_id, topic, revision)
               order by {PositionEntriesTable.Order("s", descending: true)}
               """
            : $"""
               select * from (
                 select {Columns("e", "")}, e.stated_from, e.stated_precision, e.recorded_seq,
                   lag(e.stance) over (order by {PositionEntriesTable.Order("e")}) as prev
                 from {entries} e
                 where e.country = @country and e.topic = @topic and {view.Visible()} and e.substantive) e
               where e.prev <> e.stance {(before is null ? "" : "and " + KeyAfter)}
               order by {PositionEntriesTable.Order("e", descending: true)}
               limit @limit
               """;
        var rows = await session.ListAsync(sql, WithKey(view.Parameters(new { country, topic, limit = limit + 1 }), before),
            row => (Shift: Shift(row, "", row.Get<string>("prev")), Key: HistoryKey.Read(row)), cancellation);
        return ToPage(rows, limit, r => r.Shift, r => r.Key);
    }

    /// <summary>Each country's current entry on the topic, in country code order.</summary>
    public static Task<List<CountryStance>> TopicStancesAsync(IQuerySession session, string topic, PositionView view, CancellationToken cancellation)
    {
        var (entries, summaries) = Tables(session);
        var visible = IndexBoundedVisible(view);
        var sql = view.IsPresent
            ? $"""
               select m.country, {Columns("c", "")} from {summaries} m
               join {entries} c on c.statement_id = m.current_statement_id and c.topic = m.topic and c.revision = m.current_revision
               where m.topic = @topic
               order by m.country
               """
            // Per country, its latest visible substantive entry, else its latest visible one: backward probes of the
            // topic's index from the view's date, instead of sorting every visible row of the topic. The countries
            // come from a loose index scan (one probe each), since PostgreSQL 15 cannot skip-scan.
            : $"""
               with recursive countries(country) as (
                 select min(country) from {entries} where topic = @topic
                 union all
                 select (select min(e.country) from {entries} e where e.topic = @topic and e.country > c.country)
                 from countries c where c.country is not null)
               select c.country, {Columns("x", "")} from countries c
               cross join lateral {LatestEntry(entries, "e.topic = @topic and e.country = c.country", visible)} x
               where c.country is not null
               order by c.country
               """;
        return session.ListAsync(sql, view.Parameters(new { topic }), row => new CountryStance(row.Get<string>("country"), Entry(row, "")), cancellation);
    }

    /// <summary>The country's current substantive entry on each topic (or on the given ones), by topic.</summary>
    public static async Task<Dictionary<string, HistoryEntry>> SubstantiveStancesAsync(
        IQuerySession session, string country, IReadOnlyCollection<string>? topics, PositionView view, CancellationToken cancellation)
    {
        var (entries, summaries) = Tables(session);
        var onTopics = topics is null ? "" : "and {0}.topic = any(@topics)";
        var sql = view.IsPresent
            ? $"""
               select m.topic, {Columns("c", "")} from {summaries} m
               join {entries} c on c.statement_id = m.current_statement_id and c.topic = m.topic and c.revision = m.current_revision
               where m.country = @country and m.current_substantive {string.Format(onTopics, "m")}
               """
            // Per topic, the latest visible substantive entry, found by walking the country's index backwards from
            // the view's date: a few index probes per topic, not a fold of the whole history. The topics come from
            // a loose index scan (one probe each), since PostgreSQL 15 cannot skip-scan.
            : $"""
               with recursive topics(topic) as (
                 select min(topic) from {entries} where country = @country
                 union all
                 select (select min(e.topic) from {entries} e where e.country = @country and e.topic > t.topic) from topics t where t.topic is not null)
               select t.topic, c.* from topics t
               cross join lateral (
                 select {Columns("e", "")} from {entries} e
                 where e.country = @country and e.topic = t.topic and e.substantive and {view.Visible()}
                   {(view.AsOf is null ? "" : "and e.stated_from <= @as_of")}
                 order by {PositionEntriesTable.Order("e", descending: true)}
                 limit 1) c
               where t.topic is not null {string.Format(onTopics, "t")}
               """;
        var rows = await session.ListAsync(sql, view.Parameters(new { country, topics = topics?.ToArray() }),
            row => (Topic: row.Get<string>("topic"), Entry: Entry(row, "")), cancellation);
        return rows.ToDictionary(r => r.Topic, r => r.Entry);
    }

    /// <summary>Whether any statement, in any revision, was ever about the topic.</summary>
    public static async Task<bool> TopicExistsAsync(IQuerySession session, string topic, CancellationToken cancellation) =>
        await session.ScalarAsync<bool>($"select exists (select 1 from {Tables(session).Entries} where topic = @topic)", new { topic }, cancellation);

    internal static string Shifts(IQuerySession session) => PositionShiftsTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName);

    internal static (string Entries, string Summaries) Tables(IQuerySession session)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        return (PositionEntriesTable.QualifiedName(schema), PositionSummariesTable.QualifiedName(schema));
    }

    /// <summary>The view's visibility, with stated_from bounded too: stated_to &lt;= @as_of implies it, and it bounds the index range.</summary>
    private static string IndexBoundedVisible(PositionView view) => view.Visible() + (view.AsOf is null ? "" : " and e.stated_from <= @as_of");

    /// <summary>
    /// A lateral subquery for the latest visible entry of one country on one topic (<paramref name="key"/>), the
    /// substantive one if there is any: two backward probes of an index in the entries' order, the second only when
    /// the first finds nothing.
    /// </summary>
    internal static string LatestEntry(string entries, string key, string visible) => $"""
        (
          (select e.* from {entries} e where {key} and e.substantive and {visible}
           order by {PositionEntriesTable.Order("e", descending: true)} limit 1)
          union all
          (select e.* from {entries} e where {key} and {visible}
           order by {PositionEntriesTable.Order("e", descending: true)} limit 1)
          limit 1)
        """;

    /// <summary>The columns of an entry, from table alias <paramref name="alias"/>, named with <paramref name="prefix"/>.</summary>
    internal static string Columns(string alias, string prefix) => string.Join(", ",
        new[] { "statement_id", "speaker_name", "speaker_role", "position", "stance", "family", "stance_inferred", "stated_on", "targets", "known_from" }
            .Select(column => $"{alias}.{column} as {prefix}{column}"));

    internal static HistoryEntry Entry(SqlRow row, string prefix) => new(
        row.Get<Guid>(prefix + "statement_id"),
        new Speaker(row.Get<string>(prefix + "speaker_name"), row.Maybe<string>(prefix + "speaker_role")),
        row.Get<string>(prefix + "position"),
        row.Get<string>(prefix + "stance"),
        row.Get<string>(prefix + "family"),
        row.Get<bool>(prefix + "stance_inferred"),
        PartialDate.Parse(row.Get<string>(prefix + "stated_on")),
        row.Get<string[]>(prefix + "targets"),
        row.Get<DateTimeOffset>(prefix + "known_from"));

    internal static Shift Shift(SqlRow row, string prefix, string from)
    {
        var to = Entry(row, prefix);
        return new Shift(StanceOf.Code(from), StanceOf.Code(to.Stance), to.StatedOn, to.StatementId, to.RecordedAt);
    }

    private static Dictionary<string, object?> WithKey(Dictionary<string, object?> parameters, HistoryKey? key)
    {
        if (key is null) return parameters;
        parameters["key_from"] = key.StatedFrom;
        parameters["key_precision"] = key.Precision;
        parameters["key_seq"] = key.RecordedSeq;
        return parameters;
    }

    private static Page<T> ToPage<TRow, T>(List<TRow> rows, int limit, Func<TRow, T> item, Func<TRow, HistoryKey> key)
    {
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? key(page[^1]).ToCursor() : null;
        page.Reverse();
        return new Page<T>(page.Select(item).ToArray(), next);
    }
}
