using Microsoft.AspNetCore.Mvc;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Npgsql;
using StatementTracker.Exporting;
using StatementTracker.Infrastructure;
using StatementTracker.Security;
using Wolverine.Http;

namespace StatementTracker.Importing.Jobs;

/// <summary>
/// <c>GET /imports/{id}</c>: the import's state (queued, running, completed, failed), its progress and its
/// summary; <c>GET /imports/{id}/rejects</c>: the rejected rows, as JSON Lines, once it has completed.
/// </summary>
public static class GetImportEndpoint
{
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(ImportJob), 200)]
    [WolverineGet("/imports/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<ImportJob>(id, cancellation) is { } job
            ? Results.Ok(job)
            : Problems.NotFound($"No import {id}.").ToResult();

    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(string), 200, "application/x-ndjson")]
    [WolverineGet("/imports/{id}/rejects")]
    public static async Task<IResult> Rejects(Guid id, IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<ImportJob>(id, cancellation) is not { } job) return Problems.NotFound($"No import {id}.").ToResult();
        if (job.State != ImportStates.Completed) return Problems.Conflict($"Import {id} is {job.State}; its rejected rows are kept once it has completed.").ToResult();
        return new StreamedExport("application/x-ndjson; charset=utf-8", $"import-{id}.rejects.jsonl", async (output, token) =>
        {
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(token);
            await using var command = new NpgsqlCommand(
                $"select rejects from {ImportFilesTable.QualifiedName(store.Options.DatabaseSchemaName)} where id = $1", connection)
            {
                Parameters = { new NpgsqlParameter { Value = id } },
            };
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, token);
            if (!await reader.ReadAsync(token) || reader.IsDBNull(0)) return 0;
            await output.FlushAsync(token);
            using var text = new StreamReader(reader.GetStream(0));
            long lines = 0;
            while (await text.ReadLineAsync(token) is { } line)
            {
                await output.WriteLineAsync(line);
                lines++;
            }
            return lines;
        });
    }
}
