using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Npgsql;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace StatementTracker.Importing.Jobs;

/// <summary>Runs the import of a file received over HTTP; durable, so it survives a restart of the service.</summary>
public sealed record RunImport(Guid ImportId);

/// <summary>
/// <c>POST /imports?format=ours|icews|gdelt|polecat</c>: the body is the file (gzip-compressed or not), up to
/// <see cref="LimitOptions.MaxImportBodyBytes"/>. It is stored, a durable <see cref="RunImport"/> is queued in
/// the same transaction as the import's record, and the answer is 202 with the <c>Location</c> of
/// <c>GET /imports/{id}</c>.
/// </summary>
public static class StartImportEndpoint
{
    [Authorize(Policy = Policies.Write)]
    [TakesFiles]
    [ProducesResponseType(typeof(ImportAccepted), 202)]
    [WolverinePost("/imports")]
    public static async Task<IResult> Post(
        string? format, HttpContext context, IDocumentStore store, IMartenOutbox outbox, ClaimsPrincipal user, CancellationToken cancellation)
    {
        if (ImportFormats.Find(format) is not { } chosen)
            return Problems.Invalid("format", $"Name the file's format: one of {ImportFormats.Names}.").ToResult();

        var spooled = Path.GetTempFileName();
        try
        {
            long bytes;
            try
            {
                await using var file = File.Create(spooled);
                await context.Request.Body.CopyToAsync(file, cancellation);
                bytes = file.Length;
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Problems.PayloadTooLarge().ToResult();
            }
            if (bytes == 0) return Problems.Invalid("body", "The file is empty: send its bytes as the request body.").ToResult();

            var id = Guid.CreateVersion7();
            await using (var connection = await store.OpenForBulkWorkAsync(cancellation))
            {
                await using var content = File.OpenRead(spooled);
                await using var insert = new NpgsqlCommand(
                    $"insert into {ImportFilesTable.QualifiedName(store.Options.DatabaseSchemaName)} (id, content) values ($1, $2)", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = id });
                insert.Parameters.Add(new NpgsqlParameter { Value = content, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
                await insert.ExecuteNonQueryAsync(cancellation);
            }

            await using var session = store.LightweightSession();
            outbox.Enroll(session);
            session.Store(new ImportJob
            {
                Id = id, Format = chosen.Name, RequestedBy = Actors.IdOf(user), Bytes = bytes, RequestedAt = DateTimeOffset.UtcNow,
            });
            await outbox.PublishAsync(new RunImport(id));
            await session.SaveChangesAsync(cancellation);
            return Results.Accepted($"/imports/{id}", new ImportAccepted(id, ImportStates.Queued));
        }
        finally
        {
            File.Delete(spooled);
        }
    }
}

/// <summary>An import was queued; <c>GET /imports/{id}</c> shows where it stands.</summary>
public sealed record ImportAccepted(Guid Id, string State);
