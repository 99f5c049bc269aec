using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using StatementTracker.Positions;
using StatementTracker.Vocabulary;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// Rebuilds the position tables without downtime. Into shadow tables: the rows of statements with several events
/// worked out from their events (<see cref="PositionBatch"/>, the projection's own fold) and copied in, those of
/// statements with one event (nearly all) made by PostgreSQL (<see cref="SingleEventStatements"/>); the shifts and
/// summaries are then computed over them in SQL; events recorded meanwhile are applied by the projection's
/// SQL function. To finish, the live agent stops, the shadow tables take in the last events (and the live ones
/// too while someone subscribes to alerts, raising any shift as the agent would have), and the shadow tables
/// replace the live ones in one transaction that also sets the projection's progress; the agent then goes on from
/// there. Reads answer from the live tables throughout. With <c>pauseLiveFirst</c> (a bulk catch-up of a
/// projection far behind) the agent stops from the start instead of spending the rebuild's time on the backlog.
/// </summary>
public sealed class PositionsRebuild(IDocumentStore store, LiveProjection live, bool pauseLiveFirst = false) : IShadowRebuild
{
    private const int ProgressEvery = 10_000;

    /// <summary>How far behind the store the shadow tables may be when the live agent is stopped to finish.</summary>
    private const long FinishWithin = 5_000;

    private readonly string _schema = store.Options.DatabaseSchemaName;

    public async Task RunAsync(Action<RebuildProgress> progress, CancellationToken cancellation)
    {
        var events = new StoredEvents(store);
        var shadow = new ShadowTables(_schema, [PositionSummariesTable.TableName, PositionEntriesTable.TableName, PositionShiftsTable.TableName, PositionYearsTable.TableName]);
        await using var connection = await OpenAsync(cancellation);
        Uri? agent = pauseLiveFirst ? await live.PauseAsync(PositionHistoryProjection.ProjectionName, cancellation) : null;
        try
        {
            var built = await events.CommittedHeadAsync(connection, cancellation);
            await shadow.CreateAsync(connection, cancellation);
            await BuildAsync(connection, events, shadow, built, progress, cancellation);
            await ShadowFunctionAsync(connection, cancellation);

            // Catch up with what was recorded while building, until close enough to stop the live agent.
            for (var head = await events.CommittedHeadAsync(connection, cancellation); head - built > FinishWithin;
                 head = await events.CommittedHeadAsync(connection, cancellation))
            {
                progress(new RebuildProgress("catching up", built, head));
                built = await ApplyAsync(connection, events, ShadowTables.Schema, built, head, raiseShifts: false, cancellation);
            }

            progress(new RebuildProgress("switching", built, built));
            agent = await live.EnsurePausedAsync(PositionHistoryProjection.ProjectionName, agent, cancellation);
            var last = await events.CommittedHeadAsync(connection, cancellation);
            // The live tables are dropped in the swap: their last events matter only for the shifts they raise for alerts.
            if (await AnyoneSubscribesAsync(cancellation))
            {
                var applied = await live.ProgressAsync(connection, PositionHistoryProjection.ProjectionName, cancellation);
                await ApplyAsync(connection, events, _schema, applied, last, raiseShifts: true, cancellation);
            }
            await ApplyAsync(connection, events, ShadowTables.Schema, built, last, raiseShifts: false, cancellation);
            await shadow.SwapAsync(connection,
                () => live.SetProgressAsync(connection, PositionHistoryProjection.ProjectionName, last, cancellation), cancellation);
            progress(new RebuildProgress("completed", last, last));
        }
        finally
        {
            if (agent is not null) await live.ResumeAsync(agent);
            await shadow.DropAsync(connection, CancellationToken.None);
        }
    }

    private async Task<bool> AnyoneSubscribesAsync(CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        return await Alerts.AlertSubscription.AnyAsync(session, cancellation);
    }

    /// <summary>
    /// Every position row there is: those of statements with several events folded here, stream by stream, and
    /// copied in (by one COPY on a second connection, while the next streams are read and folded); those of
    /// statements with one event made by PostgreSQL from the events (<see cref="SingleEventStatements"/>). Then the
    /// keys, the present shifts, the summaries and the counts by year of the long histories, whose tables are indexed once filled.
    /// </summary>
    private async Task BuildAsync(
        NpgsqlConnection connection, StoredEvents events, ShadowTables shadow, long through, Action<RebuildProgress> progress, CancellationToken cancellation)
    {
        var entries = shadow.Shadow(PositionEntriesTable.TableName);
        var longer = $"{ShadowTables.Schema}.st_longer_streams";
        var single = new SingleEventStatements(
            $"{store.Options.Events.DatabaseSchemaName}.mt_events", longer, $"{ShadowTables.Schema}.st_inferred_stances");
        await using var second = await OpenAsync(cancellation);
        // The statements of several events are folded here while PostgreSQL lists the positions to infer stances for.
        await Task.WhenAll(
            FoldLongerStreamsAsync(connection, events, entries, longer, through, progress, cancellation),
            single.InferStancesAsync(second, await OpenAsync(cancellation), through, cancellation));
        await single.InsertAsync([connection, second], SingleEventRowsSql(entries, single), through, cancellation);
        progress(new RebuildProgress("indexing", through, through));

        // The entries are indexed on one connection while the shifts are computed from them on the other.
        await Task.WhenAll(
            shadow.IndexAsync(connection, [PositionEntriesTable.TableName], cancellation),
            ShiftsAsync(second, shadow, cancellation));
        // Only now: the entries' index builds were running while the shifts were written.
        await shadow.VacuumAsync(connection, [PositionShiftsTable.TableName], cancellation);
        await Task.WhenAll(
            ShadowTables.ExecuteAsync(connection, SummariesSql(shadow, share: 0, shares: 2), cancellation),
            ShadowTables.ExecuteAsync(second, SummariesSql(shadow, share: 1, shares: 2), cancellation));
        await shadow.IndexAsync(connection, [PositionSummariesTable.TableName], cancellation);
        await ShadowTables.ExecuteAsync(connection, YearsSql(shadow), cancellation);
        await shadow.IndexAsync(connection, [PositionYearsTable.TableName], cancellation);
    }

    private async Task FoldLongerStreamsAsync(
        NpgsqlConnection connection, StoredEvents events, string entries, string longer, long through, Action<RebuildProgress> progress,
        CancellationToken cancellation)
    {
        await using var copy = new StreamingCopy<PositionBatch.Row>(await OpenAsync(cancellation), CopySql(entries), WriteRow, cancellation);
        long processed = 0;
        await foreach (var stream in events.LongerStreamsAsync(connection, longer, through, cancellation))
        {
            foreach (var row in PositionBatch.From(stream).Rows) await copy.AddAsync(row, cancellation);
            processed += stream.Count;
            if (processed % ProgressEvery < stream.Count) progress(new RebuildProgress("building", processed, through));
        }
        await copy.CompleteAsync(cancellation);
    }

    private static async Task ShiftsAsync(NpgsqlConnection connection, ShadowTables shadow, CancellationToken cancellation)
    {
        await ShadowTables.ExecuteAsync(connection, ShiftsSql(shadow), cancellation);
        await shadow.IndexAsync(connection, [PositionShiftsTable.TableName], cancellation, vacuum: false);
    }

    private static string CopySql(string table) =>
        $"""
         copy {table} (statement_id, topic, revision, country, known_from, known_until, recorded_seq, stated_from, stated_to,
           stated_precision, stated_on, stance, family, substantive, stance_inferred, position, speaker_name, speaker_role, targets)
         from stdin (format binary)
         """;

    /// <summary>
    /// The rows <see cref="PositionBatch"/> makes of a statement's recording: one per topic, present. Targets are
    /// kept as a set in ordinal order, as <see cref="Targets.Canonical"/> keeps them (country codes); up to two
    /// without a sort (a sort for each of 1,000,000 rows was a quarter of the insert's time).
    /// </summary>
    private static string SingleEventRowsSql(string entries, SingleEventStatements single) =>
        $"""
         insert into {entries} (statement_id, topic, revision, country, known_from, known_until, recorded_seq, stated_from, stated_to,
           stated_precision, stated_on, stance, family, substantive, stance_inferred, position, speaker_name, speaker_role, targets)
         select e.stream_id, t.topic, e.version, c.country, e.timestamp, null, e.seq_id, d.first_day, d.last_day, d.precision,
           c."statedOn", s.stance, coalesce(f.family, '{StanceFamilies.None}'), coalesce(f.family, '{StanceFamilies.None}') <> '{StanceFamilies.None}',
           c.stance is null, c.position, c.speaker->>'name', c.speaker->>'role',
           case jsonb_array_length(c.targets) when 0 then array[]::text[] when 1 then array[c.targets->>0]
             when 2 then case when (c.targets->>0) collate "C" < (c.targets->>1) then array[c.targets->>0, c.targets->>1]
                              when (c.targets->>0) collate "C" > (c.targets->>1) then array[c.targets->>1, c.targets->>0]
                              else array[c.targets->>0] end
             else array(select distinct x collate "C" from jsonb_array_elements_text(c.targets) x order by 1) end
         {single.Source($"""
             cross join lateral jsonb_array_elements_text(c.topics) t(topic)
             left join ({Families}) f(stance, family) on f.stance = s.stance
             """)}
         """;

    private static string Families => "values " + string.Join(", ",
        StanceFamilies.Members.SelectMany(m => m.Stances.Select(stance => $"('{stance}', '{m.Family}')")));

    private static void WriteRow(NpgsqlBinaryImporter copy, PositionBatch.Row row)
    {
        var stance = row.Content.EffectiveStance;
        copy.Write(row.StatementId, NpgsqlDbType.Uuid);
        copy.Write(row.Topic, NpgsqlDbType.Text);
        copy.Write(row.Revision, NpgsqlDbType.Bigint);
        copy.Write(row.Country, NpgsqlDbType.Text);
        copy.Write(row.KnownFrom, NpgsqlDbType.TimestampTz);
        if (row.KnownUntil is { } until) copy.Write(until, NpgsqlDbType.TimestampTz);
        else copy.WriteNull();
        copy.Write(row.RecordedSeq!.Value, NpgsqlDbType.Bigint);
        copy.Write(row.Content.StatedOn.FirstDay, NpgsqlDbType.Date);
        copy.Write(row.Content.StatedOn.LastDay, NpgsqlDbType.Date);
        copy.Write((short)row.Content.StatedOn.Precision, NpgsqlDbType.Smallint);
        copy.Write(row.Content.StatedOn.ToString(), NpgsqlDbType.Text);
        copy.Write(stance, NpgsqlDbType.Text);
        copy.Write(StanceFamilies.Of(stance), NpgsqlDbType.Text);
        copy.Write(StanceFamilies.IsSubstantive(stance), NpgsqlDbType.Boolean);
        copy.Write(row.Content.StanceInferred, NpgsqlDbType.Boolean);
        copy.Write(row.Content.Position, NpgsqlDbType.Text);
        copy.Write(row.Content.Speaker.Name, NpgsqlDbType.Text);
        if (row.Content.Speaker.Role is { } role) copy.Write(role, NpgsqlDbType.Text);
        else copy.WriteNull();
        copy.Write(Targets.Canonical(row.Content.Targets).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
    }

    /// <summary>The present shifts: each present substantive row whose stance differs from the previous one.</summary>
    private static string ShiftsSql(ShadowTables shadow)
    {
        var entries = shadow.Shadow(PositionEntriesTable.TableName);
        var shifts = shadow.Shadow(PositionShiftsTable.TableName);
        // The sort over every row fits in memory instead of spilling to disk (this connection's transaction only).
        return $"""
            select set_config('work_mem', '256MB', true);
            insert into {shifts} (statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, shift_from)
            select statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, previous
            from (
              select statement_id, topic, revision, country, stated_from, stated_precision, recorded_seq, stance,
                lag(stance) over (partition by country, topic order by stated_from, stated_precision, recorded_seq) as previous
              from {entries} where known_until is null and substantive) s
            where previous <> stance;
            """;
    }

    /// <summary>
    /// A summary per country and topic, once the entries and shifts are indexed: the totals from one pass over
    /// each table's country index, the current entry and the last shift by backward probes of those indexes
    /// (in a rebuild of 1,000,000 statements 3.1 s, where sorting every row for them took 4.5 s).
    /// </summary>
    /// <param name="share">Which of <paramref name="shares"/> shares of the countries (by hash), each computed on a connection of its own.</param>
    private static string SummariesSql(ShadowTables shadow, int share, int shares)
    {
        var mine = $"mod(mod(hashtext(country)::bigint, {shares}) + {shares}, {shares}) = {share}";
        var entries = shadow.Shadow(PositionEntriesTable.TableName);
        var summaries = shadow.Shadow(PositionSummariesTable.TableName);
        var shifts = shadow.Shadow(PositionShiftsTable.TableName);
        // The counts' hash tables (one entry per country and topic) fit in memory (this transaction only).
        return $"""
            select set_config('work_mem', '256MB', true);
            insert into {summaries} (country, topic, history_total, shifts_total, current_statement_id, current_revision,
              current_stance, current_family, current_substantive, current_targets, last_shift_statement_id, last_shift_revision)
            select t.country, t.topic, t.history_total, coalesce(n.shifts_total, 0), c.statement_id, c.revision,
              c.stance, c.family, c.substantive, c.targets, l.statement_id, l.revision
            from (select country, topic, count(*)::int as history_total
                  from {entries} where known_until is null and {mine} group by country, topic) t
            cross join lateral {PositionQueries.LatestEntry(entries, "e.country = t.country and e.topic = t.topic", "e.known_until is null")} c
            left join (select country, topic, count(*)::int as shifts_total from {shifts} where {mine} group by country, topic) n
              on n.country = t.country and n.topic = t.topic
            left join lateral (
              select s.statement_id, s.revision from {shifts} s where s.country = t.country and s.topic = t.topic
              order by {PositionEntriesTable.Order("s", descending: true)} limit 1) l on true;
            """;
    }

    /// <summary>The counts by year of the long histories, from the summaries, entries and shifts (indexed by then).</summary>
    private static string YearsSql(ShadowTables shadow) =>
        $"insert into {shadow.Shadow(PositionYearsTable.TableName)} (country, topic, year, history_total, shifts_total) " +
        PositionYearsTable.CountsSql(shadow.Shadow(PositionEntriesTable.TableName), shadow.Shadow(PositionShiftsTable.TableName),
            PositionYearsTable.LongHistories(shadow.Shadow(PositionSummariesTable.TableName)));

    /// <summary>The projection's function over the shadow tables, to apply what was recorded while building.</summary>
    private async Task ShadowFunctionAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        var shadowRaised = $"{ShadowTables.Schema}.{RaisedShiftsTable.TableName}";
        var shadowProgress = $"{ShadowTables.Schema}.{RaisedShiftsTable.ProgressTableName}";
        await ShadowTables.ExecuteAsync(connection,
            $"create table {shadowRaised} (like {RaisedShiftsTable.QualifiedName(_schema)} including all);" +
            $"create table {shadowProgress} (like {RaisedShiftsTable.ProgressName(_schema)} including all);" +
            PositionBatchSql.Function(ShadowTables.Schema, subscriptionsSchema: _schema),
            cancellation);
    }

    /// <summary>Applies the events after <paramref name="after"/> through <paramref name="through"/> with the function of <paramref name="schema"/>.</summary>
    private static async Task<long> ApplyAsync(
        NpgsqlConnection connection, StoredEvents events, string schema, long after, long through, bool raiseShifts, CancellationToken cancellation)
    {
        var call = $"select {schema}.{PositionBatchSql.FunctionName}({string.Join(", ", Enumerable.Range(1, 24).Select(i => $"${i}"))})";
        var applied = after;
        await foreach (var page in events.RangeAsync(connection, after, through, cancellation))
        {
            var batch = PositionBatch.From(page);
            if (!batch.IsEmpty)
            {
                await using var command = new NpgsqlCommand(call, connection) { CommandTimeout = 0 };
                foreach (var value in batch.Arguments(raiseShifts)) command.Parameters.Add(new NpgsqlParameter { Value = value });
                await command.ExecuteNonQueryAsync(cancellation);
            }
            applied = page[^1].Sequence;
        }
        return Math.Max(applied, through);
    }

    private Task<NpgsqlConnection> OpenAsync(CancellationToken cancellation) =>
        Infrastructure.StatementTrackerSetup.OpenForBulkWorkAsync(store, cancellation);
}
