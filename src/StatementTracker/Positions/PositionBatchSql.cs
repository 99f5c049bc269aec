namespace StatementTracker.Positions;

/// <summary>
/// The SQL function that applies one batch of statement changes to the position tables in a single round
/// trip: it closes the rows of corrected and retracted statements, inserts the new rows, recomputes the
/// shifts around every row that came or went, raises the shifts that appeared, and refreshes the summaries
/// of the country-topic pairs touched and the counts by year of the long ones. Set-based throughout: the cost is per batch, not per event.
/// </summary>
public static class PositionBatchSql
{
    public const string FunctionName = "st_apply_position_batch";

    /// <param name="subscriptionsSchema">Where the alert subscriptions are (the live schema, also for a rebuild's copy).</param>
    public static string Function(string schema, string? subscriptionsSchema = null)
    {
        // Marten's table for AlertSubscription documents.
        var subscriptions = $"{subscriptionsSchema ?? schema}.mt_doc_alertsubscription";
        var entries = PositionEntriesTable.QualifiedName(schema);
        var shifts = PositionShiftsTable.QualifiedName(schema);
        var summaries = PositionSummariesTable.QualifiedName(schema);
        var years = PositionYearsTable.QualifiedName(schema);
        var raised = RaisedShiftsTable.QualifiedName(schema);
        var raisedThrough = RaisedShiftsTable.ProgressName(schema);
        // The header is written as PostgreSQL prints it back (pg_get_functiondef), so the schema check at start-up
        // finds it unchanged instead of replacing it on every start. The function plans each statement once per
        // connection (force_generic_plan): planning these statements for every batch cost more than running them.
        return $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.{{FunctionName}}(close_ids uuid[], close_at timestamp with time zone[], r_statement uuid[], r_topic text[], r_revision bigint[], r_country text[], r_known_from timestamp with time zone[], r_known_until timestamp with time zone[], r_recorded_seq bigint[], r_stated_from date[], r_stated_to date[], r_precision smallint[], r_stated_on text[], r_stance text[], r_family text[], r_substantive boolean[], r_inferred boolean[], r_position text[], r_speaker text[], r_role text[], r_targets text[], raise_shifts boolean, batch_at timestamp with time zone, batch_seq bigint)
             RETURNS void
             LANGUAGE plpgsql
             SET plan_cache_mode TO 'force_generic_plan'
            AS $function$
            declare
              raising boolean;
              c_country text[]; c_topic text[]; c_from date[]; c_precision smallint[]; c_seq bigint[]; c_substantive boolean[];
              i_statement uuid[]; i_topic text[]; i_revision bigint[]; i_country text[];
              i_from date[]; i_precision smallint[]; i_seq bigint[]; i_substantive boolean[]; i_stance text[]; i_stated_on text[];
              s_country text[]; s_topic text[]; s_from date[]; s_delta int[];
              y_country text[]; y_topic text[]; y_now int[]; y_before int[];
            begin
              -- Shifts are raised once per event: a replay of events already seen (a rebuild) raises none.
              select raise_shifts and coalesce(max(through_seq), 0) < batch_seq into raising from {{raisedThrough}};
              -- Raised shifts are for alerts: with no subscription there is nobody to alert (an import's catch-up
              -- would otherwise raise, and then mark dispatched, hundreds of thousands).
              raising := raising and exists (select 1 from {{subscriptions}});
              insert into {{raisedThrough}} as p (id, through_seq) values (1, batch_seq)
              on conflict (id) do update set through_seq = greatest(p.through_seq, excluded.through_seq);

              -- 1. Close the present rows of corrected and retracted statements; their shifts go with them.
              with closed as (
                update {{entries}} e set known_until = c.at
                from unnest(close_ids, close_at) as c(statement_id, at)
                where e.statement_id = c.statement_id and e.known_until is null
                returning e.statement_id, e.topic, e.revision, e.country, e.stated_from, e.stated_precision, e.recorded_seq, e.substantive),
              unshifted as (
                delete from {{shifts}} s using closed c
                where s.statement_id = c.statement_id and s.topic = c.topic and s.revision = c.revision
                returning s.country, s.topic, s.stated_from)
              select array_agg(country), array_agg(topic), array_agg(stated_from), array_agg(stated_precision),
                     array_agg(recorded_seq), array_agg(substantive),
                     (select array_agg(country) from unshifted), (select array_agg(topic) from unshifted),
                     (select array_agg(stated_from) from unshifted), (select array_agg(-1) from unshifted)
              into c_country, c_topic, c_from, c_precision, c_seq, c_substantive, s_country, s_topic, s_from, s_delta
              from closed;

              -- 2. Insert the new rows. A corrected statement keeps its place in recording order.
              with inserted as (
                insert into {{entries}} (statement_id, topic, revision, country, known_from, known_until, recorded_seq,
                  stated_from, stated_to, stated_precision, stated_on, stance, family, substantive, stance_inferred,
                  position, speaker_name, speaker_role, targets)
                select r.statement_id, r.topic, r.revision, r.country, r.known_from, r.known_until,
                  coalesce(r.recorded_seq, (select min(p.recorded_seq) from {{entries}} p where p.statement_id = r.statement_id)),
                  r.stated_from, r.stated_to, r.stated_precision, r.stated_on, r.stance, r.family, r.substantive, r.inferred,
                  r.position, r.speaker, r.role, string_to_array(r.targets, ',')
                from unnest(r_statement, r_topic, r_revision, r_country, r_known_from, r_known_until, r_recorded_seq,
                  r_stated_from, r_stated_to, r_precision, r_stated_on, r_stance, r_family, r_substantive, r_inferred,
                  r_position, r_speaker, r_role, r_targets)
                  as r(statement_id, topic, revision, country, known_from, known_until, recorded_seq,
                  stated_from, stated_to, stated_precision, stated_on, stance, family, substantive, inferred,
                  position, speaker, role, targets)
                returning statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, substantive, known_until,
                  stance, stated_on)
              select array_agg(statement_id), array_agg(topic), array_agg(revision), array_agg(country),
                     array_agg(stated_from), array_agg(stated_precision), array_agg(recorded_seq), array_agg(substantive),
                     array_agg(stance), array_agg(stated_on)
              into i_statement, i_topic, i_revision, i_country, i_from, i_precision, i_seq, i_substantive, i_stance, i_stated_on
              from inserted where known_until is null;

              -- 3. Recompute the shift of every present substantive row whose previous substantive row may have
              --    changed: the rows inserted, and the first one after each substantive row that came or went.
              --    Only what changed is written: a shift that appears or changes (and is raised), or one that goes.
              with changed_keys as (
                select country, topic, stated_from, stated_precision, recorded_seq
                from unnest(c_country, c_topic, c_from, c_precision, c_seq, c_substantive)
                  as c(country, topic, stated_from, stated_precision, recorded_seq, substantive)
                where substantive
                union
                select country, topic, stated_from, stated_precision, recorded_seq
                from unnest(i_country, i_topic, i_from, i_precision, i_seq, i_substantive)
                  as i(country, topic, stated_from, stated_precision, recorded_seq, substantive)
                where substantive),
              -- The rows inserted come with what their shift needs, and have none yet; the rows after a change are
              -- read whole by the probe that finds them, with the shift they have.
              dirty as (
                select statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, stance, stated_on,
                  null::text as before
                from unnest(i_statement, i_topic, i_revision, i_country, i_from, i_precision, i_seq, i_stance, i_stated_on, i_substantive)
                  as i(statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, stance, stated_on, substantive)
                where substantive
                union
                select n.statement_id, n.topic, n.revision, n.country, n.stated_from, n.stated_precision, n.recorded_seq, n.stance,
                  n.stated_on, s.shift_from
                from changed_keys k cross join lateral (
                  select e.statement_id, e.topic, e.revision, e.country, e.stated_from, e.stated_precision, e.recorded_seq,
                    e.stance, e.stated_on
                  from {{entries}} e
                  where e.country = k.country and e.topic = k.topic and e.known_until is null and e.substantive
                    and (e.stated_from, e.stated_precision, e.recorded_seq) > (k.stated_from, k.stated_precision, k.recorded_seq)
                  order by e.stated_from, e.stated_precision, e.recorded_seq
                  limit 1) n
                left join {{shifts}} s on s.statement_id = n.statement_id and s.topic = n.topic and s.revision = n.revision),
              recomputed as (
                select d.*,
                  (select case when p.stance <> d.stance then p.stance end
                   from {{entries}} p
                   where p.country = d.country and p.topic = d.topic and p.known_until is null and p.substantive
                     and (p.stated_from, p.stated_precision, p.recorded_seq) < (d.stated_from, d.stated_precision, d.recorded_seq)
                   order by p.stated_from desc, p.stated_precision desc, p.recorded_seq desc
                   limit 1) as shift_from
                from dirty d),
              changed as (
                select * from recomputed where shift_from is distinct from before),
              gone as (
                delete from {{shifts}} s using changed c
                where s.statement_id = c.statement_id and s.topic = c.topic and s.revision = c.revision and c.shift_from is null),
              written as (
                insert into {{shifts}} as s (statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, shift_from)
                select statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, shift_from
                from changed where shift_from is not null
                on conflict (statement_id, topic, revision) do update set shift_from = excluded.shift_from),
              raised as (
                insert into {{raised}} (id, country, topic, statement_id, revision, shift_from, shift_to, stated_on, raised_at)
                select md5(c.statement_id::text || '|' || c.topic || '|' || c.revision || '|' || c.shift_from || '|' || batch_seq)::uuid,
                  c.country, c.topic, c.statement_id, c.revision, c.shift_from, c.stance, c.stated_on, batch_at
                from changed c
                where raising and c.shift_from is not null
                on conflict (id) do nothing)
              select coalesce(s_country, '{}') || array_agg(country), coalesce(s_topic, '{}') || array_agg(topic),
                     coalesce(s_from, '{}') || array_agg(stated_from),
                     coalesce(s_delta, '{}') || array_agg((shift_from is not null)::int - (before is not null)::int)
              into s_country, s_topic, s_from, s_delta
              from changed;

              -- 4. Refresh the summary of every country and topic touched: the totals by what came and went,
              --    the current entry and the last shift by index lookups.
              with deltas as (
                select country, topic, sum(history)::int as delta, sum(shifts)::int as shifts_delta from (
                  select country, topic, -1 as history, 0 as shifts from unnest(c_country, c_topic) as c(country, topic)
                  union all
                  select country, topic, 1, 0 from unnest(i_country, i_topic) as i(country, topic)
                  union all
                  select country, topic, 0, delta from unnest(s_country, s_topic, s_delta) as s(country, topic, delta)) d
                group by country, topic),
              refreshed as (
                select d.country, d.topic, d.delta, d.shifts_delta,
                  c.statement_id as current_statement_id, c.revision as current_revision, c.stance as current_stance,
                  c.family as current_family, c.substantive as current_substantive, c.targets as current_targets,
                  ls.statement_id as last_shift_statement_id, ls.revision as last_shift_revision
                from deltas d
                -- The current entry as the reads find it: the second probe runs only where the first finds none.
                left join lateral {{PositionQueries.LatestEntry(entries, "e.country = d.country and e.topic = d.topic", "e.known_until is null")}} c on true
                left join lateral (
                  select x.statement_id, x.revision from {{shifts}} x
                  where x.country = d.country and x.topic = d.topic
                  order by x.stated_from desc, x.stated_precision desc, x.recorded_seq desc limit 1) ls on true),
              gone as (
                delete from {{summaries}} m using refreshed r
                where m.country = r.country and m.topic = r.topic and r.current_statement_id is null
                returning m.country, m.topic, 0 as now_total, m.history_total as before_total),
              upserted as (
                insert into {{summaries}} as m (country, topic, history_total, shifts_total, current_statement_id, current_revision,
                  current_stance, current_family, current_substantive, current_targets, last_shift_statement_id, last_shift_revision)
                select country, topic, delta, shifts_delta, current_statement_id, current_revision,
                  current_stance, current_family, current_substantive, current_targets, last_shift_statement_id, last_shift_revision
                from refreshed where current_statement_id is not null
                on conflict (country, topic) do update set
                  history_total = m.history_total + excluded.history_total,
                  shifts_total = m.shifts_total + excluded.shifts_total,
                  current_statement_id = excluded.current_statement_id, current_revision = excluded.current_revision,
                  current_stance = excluded.current_stance, current_family = excluded.current_family,
                  current_substantive = excluded.current_substantive, current_targets = excluded.current_targets,
                  last_shift_statement_id = excluded.last_shift_statement_id, last_shift_revision = excluded.last_shift_revision
                returning m.country, m.topic, m.history_total as now_total),
              touched as (
                select u.country, u.topic, u.now_total, u.now_total - r.delta as before_total
                from upserted u join refreshed r on r.country = u.country and r.topic = u.topic
                union all
                select country, topic, now_total, before_total from gone)
              -- The histories long before or after this batch, for step 5.
              select array_agg(country), array_agg(topic), array_agg(now_total), array_agg(before_total)
              into y_country, y_topic, y_now, y_before
              from touched where now_total >= {{PositionYearsTable.LongHistory}} or before_total >= {{PositionYearsTable.LongHistory}};

              -- 5. Keep the counts by year of the long histories touched, by what came and went in each year; a history
              --    that has just become long is counted from its rows, one that has become short loses its counts.
              if y_country is not null then
                with long as (
                  select country, topic, now_total >= {{PositionYearsTable.LongHistory}} as long_now,
                    before_total >= {{PositionYearsTable.LongHistory}} as long_before
                  from unnest(y_country, y_topic, y_now, y_before) as l(country, topic, now_total, before_total)),
                deltas as (
                  select d.country, d.topic, d.year, sum(d.history)::int as history, sum(d.shifts)::int as shifts from (
                    select country, topic, extract(year from stated_from)::int as year, -1 as history, 0 as shifts
                    from unnest(c_country, c_topic, c_from) as c(country, topic, stated_from)
                    union all
                    select country, topic, extract(year from stated_from)::int, 1, 0
                    from unnest(i_country, i_topic, i_from) as i(country, topic, stated_from)
                    union all
                    select country, topic, extract(year from stated_from)::int, 0, delta
                    from unnest(s_country, s_topic, s_from, s_delta) as s(country, topic, stated_from, delta)) d
                  join long l on l.country = d.country and l.topic = d.topic and l.long_now and l.long_before
                  group by d.country, d.topic, d.year),
                merged as (
                  select d.country, d.topic, d.year, coalesce(y.history_total, 0) + d.history as history_total,
                    coalesce(y.shifts_total, 0) + d.shifts as shifts_total, y.year is not null as existed
                  from deltas d
                  left join {{years}} y on y.country = d.country and y.topic = d.topic and y.year = d.year),
                shortened as (
                  delete from {{years}} y using long l
                  where y.country = l.country and y.topic = l.topic and not l.long_now),
                emptied as (
                  delete from {{years}} y using merged m
                  where y.country = m.country and y.topic = m.topic and y.year = m.year and m.existed and m.history_total = 0),
                updated as (
                  update {{years}} y set history_total = m.history_total, shifts_total = m.shifts_total from merged m
                  where y.country = m.country and y.topic = m.topic and y.year = m.year and m.existed and m.history_total <> 0),
                added as (
                  insert into {{years}} (country, topic, year, history_total, shifts_total)
                  select country, topic, year, history_total, shifts_total from merged where not existed and history_total <> 0)
                insert into {{years}} (country, topic, year, history_total, shifts_total)
                {{PositionYearsTable.CountsSql(entries, shifts, "select country, topic from long where long_now and not long_before")}};
              end if;
            end;
            $function$;
            """;
    }
}
