using Npgsql;
using NpgsqlTypes;
using StatementTracker.Vocabulary;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// What a rebuild makes of the statements with a single event (recorded, never corrected, retracted nor given
/// another source: nearly all of them), made by PostgreSQL from the stored events with an INSERT … SELECT over
/// <see cref="Source"/>, instead of each event travelling to the service to be deserialised, folded and copied
/// back (the position rows of 1,000,000 statements in 3 s instead of 11 s). Each rebuild writes what its own
/// fold would, column for column: the rebuild tests compare rebuilt tables with live ones. The one thing only
/// the service knows, the stance inferred from a position's words (<see cref="StanceInference"/>), it works
/// out first, once per distinct position, into a table the source joins.
/// </summary>
/// <param name="longerStreams">A table of the ids of the streams of several events (left out here; the service folds them).</param>
public sealed class SingleEventStatements(string events, string longerStreams, string inferredStances)
{
    /// <summary>The name under which the store keeps <see cref="Statements.StatementRecorded"/>.</summary>
    private const string Recorded = "statement_recorded";

    /// <summary>
    /// The stances the statements leave to inference, each inferred once, copied into a table by a COPY on
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
                         $"select distinct e.data->'content'->>'position' from {events} e where {Recordings} and e.data->'content'->>'stance' is null",
                         connection) { CommandTimeout = 0, Parameters = { new NpgsqlParameter { Value = through } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation)) await copy.AddAsync(reader.GetString(0), cancellation);
        }
        await copy.CompleteAsync(cancellation);
        await ShadowTables.ExecuteAsync(connection, $"analyze {inferredStances}", cancellation);
    }

    /// <summary>
    /// Runs <paramref name="insert"/> (an INSERT … SELECT … <see cref="Source"/>) once the stances are inferred:
    /// one share of the statements on each connection, side by side (PostgreSQL runs an INSERT on one core).
    /// </summary>
    public Task InsertAsync(IReadOnlyList<NpgsqlConnection> connections, string insert, long through, CancellationToken cancellation) =>
        Task.WhenAll(connections.Select((connection, share) => InsertShareAsync(connection, insert, through, share, connections.Count, cancellation)));

    private static async Task InsertShareAsync(NpgsqlConnection connection, string insert, long through, int share, int shares, CancellationToken cancellation)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        // The join to the inferred stances hashes them in memory, and times are written in UTC, as the service
        // writes them into documents ("+00:00"), for this transaction only.
        await ShadowTables.ExecuteAsync(connection, "set local work_mem = '256MB'; set local time zone 'UTC'", cancellation);
        await using (var command = new NpgsqlCommand($"{insert} and e.seq_id % {shares} = {share}", connection)
                     {
                         CommandTimeout = 0,
                         Parameters = { new NpgsqlParameter { Value = through } },
                     })
            await command.ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
    }

    /// <summary>
    /// The FROM … WHERE of the statements, each its one event <c>e</c> with: <c>content</c> (its JSON);
    /// <c>c</c>, the content's fields (country, topics, position, stance as stated, "statedOn", speaker, targets);
    /// <c>d</c>, its date as <see cref="PartialDate"/> works it out (first_day, last_day, precision);
    /// <c>s.stance</c>, the stance shown (stated, else inferred); then <paramref name="joins"/>, which may use them all.
    /// </summary>
    // The event's JSON is read as the store writes it (camel case). A partial date is its text, "2024", "2024-07"
    // or "2024-07-04".
    public string Source(string joins = "") =>
        $"""
         from {events} e
         cross join lateral (select e.data->'content' as content) j
         cross join lateral jsonb_to_record(j.content)
           as c(country text, topics jsonb, position text, stance text, "statedOn" text, speaker jsonb, targets jsonb)
         cross join lateral (select split_part(c."statedOn", '-', 1)::int as y, nullif(split_part(c."statedOn", '-', 2), '')::int as m,
           nullif(split_part(c."statedOn", '-', 3), '')::int as d) p
         cross join lateral (select
           make_date(p.y, coalesce(p.m, 1), coalesce(p.d, 1)) as first_day,
           case when p.d is not null then make_date(p.y, p.m, p.d)
                when p.m is not null then (make_date(p.y, p.m, 1) + interval '1 month' - interval '1 day')::date
                else make_date(p.y, 12, 31) end as last_day,
           (case when p.d is not null then {(short)DatePrecision.Day} when p.m is not null then {(short)DatePrecision.Month}
                 else {(short)DatePrecision.Year} end)::smallint as precision) d
         left join {inferredStances} i on c.stance is null and i.position = c.position
         cross join lateral (select coalesce(c.stance, i.stance) as stance) s
         {joins}
         where {Filter}
         """;

    /// <summary>The statements' only events: each a recording of a stream not among the longer ones.</summary>
    private string Filter => $"{Recordings} and not exists (select 1 from {longerStreams} l where l.id = e.stream_id)";

    /// <summary>
    /// Every statement's recording (its stream's first event) up to the head ($1). The stances are inferred for
    /// all of them, so that it needs no list of the longer streams and runs while the service makes that list.
    /// </summary>
    private static string Recordings => $"e.version = 1 and e.seq_id <= $1 and e.type = '{Recorded}'";
}
