using Npgsql;

namespace StatementTracker.Testing;

/// <summary>
/// Everything the projections built, as JSON text: every position row (current and superseded), the present
/// shifts, the summaries and the counts by year; every statement document and list row.
/// </summary>
public sealed record ProjectionSnapshot(string Positions, string Statements)
{
    public static async Task<ProjectionSnapshot> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<string> Dump(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            // json_agg over no rows is SQL null, which arrives as DBNull.
            return await command.ExecuteScalarAsync() as string ?? "[]";
        }
        return new ProjectionSnapshot(
            await Dump("select json_agg(p order by statement_id, topic, revision)::text from public.st_position_entries p") +
            await Dump("select json_agg(s order by statement_id, topic, revision)::text from public.st_position_shifts s") +
            await Dump("select json_agg(m order by country, topic)::text from public.st_position_summaries m") +
            await Dump("select json_agg(y order by country, topic, year)::text from public.st_position_years y"),
            await Dump("select json_agg(data order by id)::text from public.mt_doc_statement") +
            await Dump("select json_agg(l order by id)::text from public.st_statement_list l"));
    }
}
