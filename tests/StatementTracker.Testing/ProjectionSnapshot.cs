using Npgsql;

namespace StatementTracker.Testing;

/// <summary>Everything the projections built, as JSON text: every position row (current and superseded) and every statement document.</summary>
public sealed record ProjectionSnapshot(string Positions, string Statements)
{
    public static async Task<ProjectionSnapshot> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<string> Dump(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (string?)await command.ExecuteScalarAsync() ?? "[]";
        }
        return new ProjectionSnapshot(
            await Dump("select json_agg(p order by statement_id, topic, revision)::text from public.st_position_entries p"),
            await Dump("select json_agg(data order by id)::text from public.mt_doc_statement"));
    }
}
