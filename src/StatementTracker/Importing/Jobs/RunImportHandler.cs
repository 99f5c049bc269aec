using System.Data;
using FluentValidation;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using StatementTracker.Infrastructure;
using StatementTracker.Statements.Recording;
using JasperFx.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace StatementTracker.Importing.Jobs;

/// <summary>
/// Runs an HTTP import from its stored file, through the same bulk path as the <c>import</c> command, and
/// keeps its <see cref="ImportJob"/> up to date about once a second. The message waits in Wolverine's durable
/// inbox: when the node dies mid-run, the import runs again (on this node after a restart, or on another).
/// </summary>
public static class RunImportHandler
{
    private static readonly TimeSpan ShowEvery = TimeSpan.FromSeconds(1);

    public static void Configure(HandlerChain chain) =>
        chain.OnException<Exception>().ScheduleRetry(5.Seconds(), 30.Seconds(), 2.Minutes(), 10.Minutes()).Then.MoveToErrorQueue();

    public static async Task Handle(
        RunImport message, Envelope envelope, IDocumentStore store, IValidator<RecordStatement> validator, ILogger<RunImport> logger,
        CancellationToken cancellation)
    {
        ImportJob? job;
        await using (var query = store.QuerySession())
            job = await query.LoadAsync<ImportJob>(message.ImportId, cancellation);
        if (job is null || job.State is ImportStates.Completed or ImportStates.Failed) return;

        job = job with { State = ImportStates.Running, StartedAt = DateTimeOffset.UtcNow, Attempts = job.Attempts + 1 };
        await SaveAsync(store, job, cancellation);

        var files = ImportFilesTable.QualifiedName(store.Options.DatabaseSchemaName);
        var rejectsPath = Path.GetTempFileName();
        var filePath = Path.GetTempFileName();
        try
        {
            await using var connection = await store.OpenForBulkWorkAsync(cancellation);
            // The file is copied out first, so no query stays open while the import runs.
            if (!await CopyOutAsync(connection, files, message.ImportId, filePath, cancellation))
            {
                await SaveAsync(store, job with { State = ImportStates.Failed, Error = "The file is gone.", FinishedAt = DateTimeOffset.UtcNow }, cancellation);
                return;
            }

            var format = ImportFormats.Find(job.Format)!;
            var latest = job;
            var lastSaved = DateTimeOffset.MinValue;
            ImportReport report;
            await using (var content = File.OpenRead(filePath))
            await using (var rejects = new StreamWriter(rejectsPath))
            {
                var gzip = content.ReadByte() == 0x1f && content.ReadByte() == 0x8b;
                content.Position = 0;
                report = await new StatementImport(store).RunAsync(
                    format, content, gzip, job.Bytes, new ImportContext(validator, $"import:{format.Name} by {job.RequestedBy}"), rejects,
                    progress =>
                    {
                        latest = latest.With(progress.Report, job.Bytes == 0 ? 0 : Math.Min(1, (double)progress.BytesRead / job.Bytes), progress.StatementsPerSecond);
                        if (DateTimeOffset.UtcNow - lastSaved < ShowEvery) return;
                        lastSaved = DateTimeOffset.UtcNow;
                        // Progress is shown on a best-effort basis; the final state is saved below, awaited.
                        _ = SaveAsync(store, latest, CancellationToken.None).ContinueWith(
                            t => logger.LogWarning(t.Exception, "Could not save the progress of import {ImportId}", message.ImportId),
                            TaskContinuationOptions.OnlyOnFaulted);
                    },
                    cancellation: cancellation);
            }

            var rejectsFile = await File.ReadAllBytesAsync(rejectsPath, cancellation);
            await using (var store_ = new NpgsqlCommand($"update {files} set content = null, rejects = $2 where id = $1", connection)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = message.ImportId },
                    new NpgsqlParameter { Value = rejectsFile, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea },
                },
            })
                await store_.ExecuteNonQueryAsync(cancellation);
            await SaveAsync(store, latest.With(report, 1, latest.StatementsPerSecond) with
            {
                State = ImportStates.Completed,
                FinishedAt = DateTimeOffset.UtcNow,
                Error = report.Read == 0 ? "The file is empty: nothing was imported." : null,
            }, cancellation);
        }
        catch (WrongFormatException wrong)
        {
            await SaveAsync(store, job with { State = ImportStates.Failed, Error = wrong.Message, FinishedAt = DateTimeOffset.UtcNow }, cancellation);
        }
        catch (Exception ex) when (!cancellation.IsCancellationRequested)
        {
            // Wolverine tries again (see Configure); the run starts from the top and adds nothing twice.
            logger.LogWarning(ex, "Import {ImportId} was interrupted; it will run again", message.ImportId);
            await SaveAsync(store, job with { State = ImportStates.Queued, Error = $"Interrupted ({ex.GetType().Name}); it will run again." }, CancellationToken.None);
            throw;
        }
        finally
        {
            File.Delete(rejectsPath);
            File.Delete(filePath);
        }
    }

    private static async Task<bool> CopyOutAsync(NpgsqlConnection connection, string files, Guid id, string path, CancellationToken cancellation)
    {
        await using var read = new NpgsqlCommand($"select content from {files} where id = $1 and content is not null", connection)
        {
            Parameters = { new NpgsqlParameter { Value = id } },
        };
        await using var reader = await read.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellation);
        if (!await reader.ReadAsync(cancellation)) return false;
        await using var file = File.Create(path);
        await using var content = await reader.GetStreamAsync(0, cancellation);
        await content.CopyToAsync(file, cancellation);
        return true;
    }

    private static async Task SaveAsync(IDocumentStore store, ImportJob job, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        session.Store(job);
        await session.SaveChangesAsync(cancellation);
    }
}
