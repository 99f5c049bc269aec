using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Shouldly;
using StatementTracker.Statements;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>
/// The recording fast path writes streams, events, documents and list rows with its own SQL. Whatever reads
/// them (Marten, the projections, a rebuild) must find exactly what Marten's own append would have written.
/// </summary>
[Collection(ApiCollection.Name)]
public class FastPathEquivalenceTests(AppFixture app)
{
    [BoundedFact]
    public async Task a_statement_recorded_over_http_is_stored_row_for_row_as_martens_own_append_stores_it()
    {
        var posted = Guid.CreateVersion7();
        (await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(id: posted))).Status.ShouldBe(201);

        StatementRecorded recorded;
        await using (var query = app.Store.QuerySession())
            recorded = (StatementRecorded)(await query.Events.FetchStreamAsync(posted)).Single().Data;
        var appended = Guid.CreateVersion7();
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.StartStream<Statement>(appended, recorded with { StatementId = appended });
            await session.SaveChangesAsync();
        }

        foreach (var (table, sql) in RowsOf)
        {
            var fast = await RowAsync(sql, posted);
            var marten = await RowAsync(sql, appended);
            fast.ShouldNotBeNull($"{table}: the fast path wrote no row");
            JsonNode.DeepEquals(fast, marten).ShouldBeTrue($"{table}:\n fast path {fast}\n Marten    {marten}");
        }
        await using var check = app.Store.QuerySession();
        var aggregated = await check.Events.AggregateStreamAsync<Statement>(posted);
        var stored = await check.LoadAsync<Statement>(posted);
        JsonNode.DeepEquals(JsonNode.Parse(app.Store.Options.Serializer().ToJson(aggregated!)), JsonNode.Parse(app.Store.Options.Serializer().ToJson(stored!)))
            .ShouldBeTrue("the stored document differs from the stream's own aggregate");
    }

    /// <summary>Each table's row for one id, without what differs by nature (ids, times, sequence numbers).</summary>
    private static readonly (string Table, string Sql)[] RowsOf =
    [
        ("mt_streams", "select to_jsonb(s) - 'id' - 'timestamp' - 'created' from public.mt_streams s where id = $1"),
        ("mt_events", "select to_jsonb(e) - 'seq_id' - 'id' - 'stream_id' - 'timestamp' - 'data' || jsonb_build_object('data', e.data - 'statementId') from public.mt_events e where stream_id = $1"),
        ("mt_doc_statement", "select to_jsonb(d) - 'id' - 'mt_last_modified' - 'mt_version_id' - 'data' || jsonb_build_object('data', d.data - 'id' - 'recordedAt' - 'lastChangedAt') from public.mt_doc_statement d where id = $1"),
        ("st_statement_list", "select to_jsonb(l) - 'id' - 'recorded_seq' from public.st_statement_list l where id = $1"),
    ];

    private async Task<JsonNode?> RowAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = id } } };
        return await command.ExecuteScalarAsync() is string json ? JsonNode.Parse(json) : null;
    }
}
