using StatementTracker.Infrastructure;
using FluentValidation;
using JasperFx.CommandLine;
using Marten;
using StatementTracker.Importing;
using StatementTracker.Statements.Recording;

namespace StatementTracker.Host.Commands;

public sealed class ImportInput : NetCoreInput
{
    [Description("The file to import (.gz is decompressed), or - for standard input")]
    public string File { get; set; } = "-";

    [Description("The file's format: ours (JSON Lines of statements), icews, gdelt (2.0 event exports) or polecat (POLECAT release files or PLOVER JSON Lines)")]
    public string FormatFlag { get; set; } = "ours";

    [Description("Where rejected rows go, with their row number and errors (default: FILE.rejects.jsonl, or import.rejects.jsonl for standard input)")]
    public string? RejectsFlag { get; set; }

    [Description("Statements per transaction")]
    public int ChunkFlag { get; set; } = StatementImport.DefaultChunkSize;
}

[Description("Imports statements in bulk; running it again, or after an interruption, adds nothing twice")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    private static readonly TimeSpan QuietInterval = TimeSpan.FromSeconds(5);

    public override async Task<bool> Execute(ImportInput input)
    {
        if (ImportFormats.Find(input.FormatFlag) is not { } format)
        {
            Console.Error.WriteLine($"Unknown format '{input.FormatFlag}': use one of {ImportFormats.Names}.");
            return false;
        }
        var fromStandardInput = input.File == "-";
        if (!fromStandardInput && !File.Exists(input.File))
        {
            Console.Error.WriteLine($"No such file: {input.File}");
            return false;
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        if (StatementTrackerSetup.SchemaChanges(host.Services.GetRequiredService<IConfiguration>()) != JasperFx.AutoCreate.None)
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Console.Error.WriteLine("\nStopping: the chunk being loaded is rolled back; run the same import again to complete it.");
            stop.Cancel();
        };

        var rejectsPath = input.RejectsFlag ?? (fromStandardInput ? "import.rejects.jsonl" : input.File + ".rejects.jsonl");
        await using var rejects = new StreamWriter(rejectsPath, append: false);
        await using var file = fromStandardInput ? Console.OpenStandardInput() : File.OpenRead(input.File);
        var context = new ImportContext(host.Services.GetRequiredService<IValidator<RecordStatement>>(), Actor: $"import:{format.Name}");
        var onTerminal = !Console.IsOutputRedirected;
        var lastShown = TimeSpan.Zero;

        void Show(ImportProgress progress)
        {
            if (!onTerminal && progress.Elapsed - lastShown < QuietInterval) return;
            lastShown = progress.Elapsed;
            var line = $"{progress.Report.Read:N0} read, {progress.Report.Imported:N0} imported, {progress.StatementsPerSecond:N0}/s" +
                       (progress.Remaining is { } left ? $", about {left:hh\\:mm\\:ss} left" : "");
            if (onTerminal) Console.Write($"\r{line,-100}");
            else Console.WriteLine(line);
        }

        try
        {
            var report = await new StatementImport(store).RunAsync(
                format, file, !fromStandardInput && StatementImport.IsGzip(input.File), fromStandardInput ? null : file.Length,
                context, rejects, Show, Math.Max(1, input.ChunkFlag), stop.Token);
            if (onTerminal) Console.WriteLine();
            Console.WriteLine($"Import of {(fromStandardInput ? "standard input" : input.File)} ({format.Name}): {report}.");
            if (report.Read == 0) Console.WriteLine("The input is empty: nothing was imported.");
            if (report.Rejected > 0) Console.WriteLine($"Rejected rows, with their errors: {rejectsPath}");
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (WrongFormatException wrong)
        {
            Console.Error.WriteLine(wrong.Message);
            return false;
        }
    }
}
