using Marten;
using StatementTracker.Importing.Jobs;
using Wolverine;

namespace StatementTracker.Importing;

/// <summary>The imports module: HTTP imports run as durable jobs, one at a time per node.</summary>
public static class Configuration
{
    public const string ImportQueue = "imports";

    public static void AddImports(this StoreOptions options)
    {
        options.Schema.For<ImportJob>();
        options.Storage.ExtendedSchemaObjects.Add(ImportFilesTable.Define(options.DatabaseSchemaName));
    }

    /// <summary>Imports wait in a durable local queue: persisted with the import's record, run again after a restart.</summary>
    public static void UseImports(this WolverineOptions options) =>
        options.PublishMessage<RunImport>().ToLocalQueue(ImportQueue).UseDurableInbox().MaximumParallelMessages(1);
}
