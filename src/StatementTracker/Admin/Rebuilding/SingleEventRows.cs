using Npgsql;
using NpgsqlTypes;
using StatementTracker.Positions;
using StatementTracker.Vocabulary;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// The position rows of every statement with a single event (recorded, never corrected nor retracted: nearly
/// all of them), made by PostgreSQL from the stored events in one INSERT … SELECT, instead of each event
/// travelling to the service to be deserialised, folded and copied back (on 1,000,000 statements 4 s instead of
/// 11 s). They are the rows <see cref="PositionBatch"/> makes for such a statement, column for column: the
/// rebuild tests compare a rebuilt table with the live one. The one thing only the service knows, the stance
/// inferred from a position's words (<see cref="StanceInference"/>), it works out first, once per distinct
/// position, into a table the insert joins.
/// </summary>
public sealed class SingleEventRows(string events, string longerStreams, string inferredStances)
{
    /// <summary>The name under which the store keeps <see cref="Statements.StatementRecorded"/>.</summary>
    private const string Recorded = "statement_recorded";

    /// <summary>
    /// The stances the rows' statements leave to inference, each inferred once, copied into a table by a COPY on
    /// <paramref name="copyConnection"/> (closed once done) while <paramref name="connection"/> reads the positions.
    /// </summary>
    public async Task InferStancesAsync(NpgsqlConnection connection, NpgsqlConnection copyConnection, long through, CancellationToken cancellation)
    {
        await ShadowTables.ExecuteAsync(connection, $"create table {inferredStances} (position text not null, stance text not null)", cancellation);
        await using var copy = new StreamingCopy<string>(copyConnection,
            $"copy {inferredStances} (position, stance) from stdin (format binary)",
            (importer, position) =>
            {
                importer.Write(position, NpgsqlDbType.Text);
                importer.Write(StanceInference.Infer(position).Stance, NpgsqlDbType.Text);
            },
            cancellation);
        await using (var command = new NpgsqlCommand(
                         $"select distinct e.data->'content'->>'position' from {events} e where {Filter} and e.data->'content'->>'stance' is null",
                         connection) { CommandTimeout = 0, Parameters = { new NpgsqlParameter { Value = through } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation)) await copy.AddAsync(reader.GetString(0), cancellation);
        }
        await copy.CompleteAsync(cancellation);
        await ShadowTables.ExecuteAsync(connection, $"analyze {inferredStances}", cancellation);
    }

    /// <summary>
    /// Inserts the rows into <paramref name="entries"/>, once the stances are inferred: one share of them on each
    /// connection, side by side (PostgreSQL runs an INSERT … SELECT on one core; a machine has more).
    /// </summary>
    public Task InsertAsync(IReadOnlyList<NpgsqlConnection> connections, string entries, long through, CancellationToken cancellation) =>
        Task.WhenAll(connections.Select((connection, share) => InsertShareAsync(connection, entries, through, share, connections.Count, cancellation)));

    private async Task InsertShareAsync(NpgsqlConnection connection, string entries, long through, int share, int shares, CancellationToken cancellation)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        // The join to the inferred stances hashes them in memory (this transaction only).
        await ShadowTables.ExecuteAsync(connection, "set local work_mem = '256MB'", cancellation);
        await using (var command = new NpgsqlCommand($"{InsertSql(entries)} and e.seq_id % {shares} = {share}", connection)
                     {
                         CommandTimeout = 0,
                         Parameters = { new NpgsqlParameter { Value = through } },
                     })
            await command.ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
    }

    /// <summary>The statements' only events: each a recording at version 1 of a stream not among the longer ones.</summary>
    private string Filter =>
        $"e.version = 1 and e.seq_id <= $1 and e.type = '{Recorded}' and not exists (select 1 from {longerStreams} l where l.id = e.stream_id)";

    // The event's JSON is read as the store writes it (camel case). A partial date is its text, "2024", "2024-07"
    // or "2024-07-04": the first and last day it may mean and its precision (year 0, month 1, day 2) as PartialDate
    // works them out. Targets are kept as a set in ordinal order, as Targets.Canonical does (country codes).
    private string InsertSql(string entries) =>
        $"""
         insert into {entries} (statement_id, topic, revision, country, known_from, known_until, recorded_seq, stated_from, stated_to,
           stated_precision, stated_on, stance, family, substantive, stance_inferred, position, speaker_name, speaker_role, targets)
         select e.stream_id, t.topic, e.version, c.country, e.timestamp, null, e.seq_id,
           make_date(d.y, coalesce(d.m, 1), coalesce(d.d, 1)),
           case when d.d is not null then make_date(d.y, d.m, d.d)
                when d.m is not null then (make_date(d.y, d.m, 1) + interval '1 month' - interval '1 day')::date
                else make_date(d.y, 12, 31) end,
           case when d.d is not null then {(short)DatePrecision.Day} when d.m is not null then {(short)DatePrecision.Month} else {(short)DatePrecision.Year} end,
           c."statedOn", s.stance, coalesce(f.family, '{StanceFamilies.None}'), coalesce(f.family, '{StanceFamilies.None}') <> '{StanceFamilies.None}',
           c.stance is null, c.position, c.speaker->>'name', c.speaker->>'role',
           array(select distinct x collate "C" from jsonb_array_elements_text(c.targets) x order by 1)
         from {events} e
         cross join lateral jsonb_to_record(e.data->'content')
           as c(country text, topics jsonb, position text, stance text, "statedOn" text, speaker jsonb, targets jsonb)
         cross join lateral (select split_part(c."statedOn", '-', 1)::int as y, nullif(split_part(c."statedOn", '-', 2), '')::int as m,
           nullif(split_part(c."statedOn", '-', 3), '')::int as d) d
         cross join lateral jsonb_array_elements_text(c.topics) t(topic)
         left join {inferredStances} i on c.stance is null and i.position = c.position
         cross join lateral (select coalesce(c.stance, i.stance) as stance) s
         left join ({Families}) f(stance, family) on f.stance = s.stance
         where {Filter}
         """;

    private static string Families => "values " + string.Join(", ",
        StanceFamilies.Members.SelectMany(m => m.Stances.Select(stance => $"('{stance}', '{m.Family}')")));
}
