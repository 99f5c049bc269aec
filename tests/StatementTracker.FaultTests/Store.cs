using Npgsql;

namespace StatementTracker.FaultTests;

/// <summary>What the database holds, read with plain SQL: the ground truth a fault test checks against.</summary>
public sealed class Store(string connectionString)
{
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<HashSet<Guid>> StatementIdsAsync() =>
        [.. await ListAsync<Guid>("select id from public.mt_streams")];

    public async Task<List<T>> ListAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync()) values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    /// <summary>Statements whose event stream holds more than one StatementRecorded: recorded twice.</summary>
    public Task<long> DuplicatesAsync() => ScalarAsync<long>(
        "select count(*) from (select stream_id from public.mt_events where type = 'statement_recorded' group by stream_id having count(*) > 1) d");

    /// <summary>
    /// Statement/topic/country triples the events say are current but the position projection does not
    /// show, plus the ones it shows that the events do not say: zero when projections agree with events.
    /// </summary>
    public Task<long> ProjectionDisagreementsAsync() => ScalarAsync<long>(
        """
        with latest as (
          select distinct on (stream_id) stream_id, type, data
          from public.mt_events where type in ('statement_recorded', 'statement_corrected', 'statement_retracted')
          order by stream_id, version desc),
        expected as (
          select l.stream_id as statement_id, topic, coalesce(l.data->'content'->>'country', l.data->'after'->>'country') as country
          from latest l, jsonb_array_elements_text(coalesce(l.data->'content'->'topics', l.data->'after'->'topics')) as topic
          where l.type <> 'statement_retracted'),
        shown as (select statement_id, topic, country from public.st_position_entries where known_until is null)
        select (select count(*) from (select * from expected except select * from shown) missing)
             + (select count(*) from (select * from shown except select * from expected) extra)
        """);

    /// <summary>Waits until the projections agree with the events, or fails the test naming what it awaited.</summary>
    public Task ProjectionsAgreeAsync(TimeSpan within, string what = "the projections to agree with the events") =>
        Eventually.TrueAsync(async () => await ProjectionDisagreementsAsync() == 0, within, what, every: TimeSpan.FromMilliseconds(250));
}
