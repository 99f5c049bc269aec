using System.Text;
using JasperFx.CommandLine;
using Marten;
using StatementTracker.Exporting;
using StatementTracker.Infrastructure;
using StatementTracker.Positions;
using StatementTracker.Positions.Reading;
using StatementTracker.Statements.Reading;

namespace StatementTracker.Host.Commands;

public sealed class ExportInput : NetCoreInput
{
    [Description("What to export: statements (csv, jsonl or plover) or positions (csv)")]
    public string What { get; set; } = "statements";

    [Description("csv, jsonl or plover (PLOVER-style JSON Lines)")]
    public string FormatFlag { get; set; } = "jsonl";

    [Description("The file to write (default: standard output)")]
    public string? OutFlag { get; set; }

    public string? CountryFlag { get; set; }
    public string? TopicFlag { get; set; }
    public string? SpeakerFlag { get; set; }
    public string? FromFlag { get; set; }
    public string? ToFlag { get; set; }

    [Description("recorded (default), retracted or all")]
    public string? StatusFlag { get; set; }

    [Description("Only statements imported from this dataset (icews, gdelt, polecat, ...)")]
    public string? DatasetFlag { get; set; }

    [Description("Only what was stated by this date (YYYY, YYYY-MM or YYYY-MM-DD)")]
    public string? AsOfFlag { get; set; }

    [Description("As the tracker knew it at this instant (ISO 8601)")]
    public string? KnownAtFlag { get; set; }
}

[Description("Exports statements (CSV, JSON Lines, PLOVER) or positions (CSV), streamed, with the filters of the HTTP exports")]
public sealed class ExportCommand : JasperFxAsyncCommand<ExportInput>
{
    public override async Task<bool> Execute(ExportInput input)
    {
        var query = new QueryParameters();
        var view = query.View(input.AsOfFlag, input.KnownAtFlag);
        var what = input.What.Trim().ToLowerInvariant();
        StatementFilter? filter = null;
        StatementExportFormat? format = null;
        if (what == "statements")
        {
            filter = StatementFilter.Read(query, input.CountryFlag, input.TopicFlag, input.SpeakerFlag, input.FromFlag, input.ToFlag, input.StatusFlag, input.DatasetFlag);
            format = input.FormatFlag.Trim().ToLowerInvariant() switch
            {
                "csv" => StatementExportFormat.Csv,
                "jsonl" => StatementExportFormat.JsonLines,
                "plover" => StatementExportFormat.Plover,
                _ => null,
            };
            if (format is null) query.Reject("format", "Must be csv, jsonl or plover.");
        }
        else if (what != "positions") query.Reject("what", "Must be statements or positions.");
        else if (input.FormatFlag.Trim().ToLowerInvariant() is not ("csv" or "jsonl")) query.Reject("format", "Positions export as csv.");
        var country = string.IsNullOrWhiteSpace(input.CountryFlag) ? null : Vocabulary.Countries.Normalise(input.CountryFlag);
        if (what == "positions" && !string.IsNullOrWhiteSpace(input.CountryFlag) && country is null) query.Reject("country", "Unknown country.");
        if (!query.IsValid)
        {
            foreach (var (field, errors) in ((Microsoft.AspNetCore.Mvc.ValidationProblemDetails)query.Problem).Errors)
                Console.Error.WriteLine($"{field}: {string.Join(" ", errors)}");
            return false;
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var stream = input.OutFlag is null ? Console.OpenStandardOutput() : File.Create(input.OutFlag);
        await using var output = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" };
        var written = what == "statements"
            ? await StatementWriters.WriteAsync(new StatementSelection(store).ReadAsync(filter!, view.AsOf, view.KnownAt, default), format!.Value, output, default)
            : await ExportPositionsEndpoint.WriteCsvAsync(
                ExportPositionsEndpoint.ReadAsync(store, country, string.IsNullOrWhiteSpace(input.TopicFlag) ? null : input.TopicFlag, view, default), output, default);
        Console.Error.WriteLine($"Exported {written:N0} {(what == "statements" ? "statements" : "position entries")}{(input.OutFlag is null ? "" : " to " + input.OutFlag)}.");
        return true;
    }
}
