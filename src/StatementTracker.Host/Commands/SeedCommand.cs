using StatementTracker.Infrastructure;
using FluentValidation;
using JasperFx.CommandLine;
using Marten;
using StatementTracker.Statements.Recording;
using StatementTracker.Statements.Seeding;

namespace StatementTracker.Host.Commands;

public sealed class SeedInput : NetCoreInput
{
    [Description("Folder of seed files (*.json); defaults to the seeds/ folder shipped with the service")]
    public string? PathFlag { get; set; }
}

[Description("Loads the seed statements into the configured database; running it again changes nothing")]
public sealed class SeedCommand : JasperFxAsyncCommand<SeedInput>
{
    public override async Task<bool> Execute(SeedInput input)
    {
        using var host = input.BuildHost();
        var directory = input.PathFlag ?? Path.Combine(AppContext.BaseDirectory, "seeds");
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"No seed folder at {directory}");
            return false;
        }

        var store = host.Services.GetRequiredService<IDocumentStore>();
        // Where schema changes are allowed, a fresh database gets the whole schema first (else db-apply made it).
        if (StatementTrackerSetup.SchemaChanges(host.Services.GetRequiredService<IConfiguration>()) != JasperFx.AutoCreate.None)
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var report = await StatementSeeds.LoadAsync(
            store,
            host.Services.GetRequiredService<IValidator<RecordStatement>>(),
            directory);

        Console.WriteLine($"Seeds from {directory}: {report.Recorded} recorded, {report.AlreadyPresent} already present.");
        foreach (var problem in report.Problems) Console.Error.WriteLine($"  {problem}");
        return report.Succeeded;
    }
}
