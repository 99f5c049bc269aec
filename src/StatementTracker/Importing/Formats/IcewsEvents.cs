using StatementTracker.Importing.Cameo;

namespace StatementTracker.Importing.Formats;

/// <summary>
/// ICEWS coded event files (1995–2023): tab-separated, with a header row naming the columns ("Event ID",
/// "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code", "Target Name",
/// "Target Country", "Publisher", ...). Countries are written as names. The source is a state actor when it
/// is the country itself ("Source Name" equals "Source Country") or one of its sectors is "Government".
/// </summary>
public sealed class IcewsEvents : IImportFormat
{
    public const string Dataset = "icews";

    public string Name => Dataset;

    private static readonly string[] Required =
        ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code", "Target Name", "Target Country", "Publisher"];

    public FormatStart Start(string firstLine)
    {
        var header = TabHeader.Of(firstLine);
        if (header.Mismatch(Required, "a tab-separated ICEWS header", firstLine) is { } mismatch) return FormatStart.NotThisFormat(mismatch);
        var columns = new Columns(
            header.Count, header.IndexOf("Event ID"), header.IndexOf("Event Date"), header.IndexOf("Source Name"), header.IndexOf("Source Sectors"),
            header.IndexOf("Source Country"), header.IndexOf("Event Text"), header.IndexOf("CAMEO Code"), header.IndexOf("Target Name"),
            header.IndexOf("Target Country"), header.IndexOf("Publisher"));
        return FormatStart.Rows((row, line, context) => Parse(columns, row, line, context), firstLineIsRow: false);
    }

    private sealed record Columns(
        int Count, int EventId, int Date, int SourceName, int SourceSectors, int SourceCountry, int EventText, int Code, int TargetName,
        int TargetCountry, int Publisher);

    private static ImportRow Parse(Columns columns, long row, string line, ImportContext context)
    {
        var cells = line.TrimEnd('\r').Split('\t');
        if (cells.Length != columns.Count)
            return CodedEvent.Reject(row, "$", $"Expected {columns.Count} tab-separated columns, as in the header; found {cells.Length}.", line);
        string? Cell(int i) => TabHeader.Cell(cells, i);

        if (Cell(columns.EventId) is not { } eventId) return CodedEvent.Reject(row, "Event ID", "Required.", line);
        if (!DateOnly.TryParseExact(Cell(columns.Date), "yyyy-MM-dd", out var date))
            return CodedEvent.Reject(row, "Event Date", $"Not a date (YYYY-MM-DD): '{Cell(columns.Date)}'.", line);
        if (CameoCodes.Canonical(Cell(columns.Code)) is not { } code)
            return CodedEvent.Reject(row, "CAMEO Code", $"Not a CAMEO event code: '{Cell(columns.Code)}'.", line);
        if (!CameoCodes.IsVerbal(code)) return new ImportRow.Skipped(row, CodedEvent.SkipReasons.NotVerbal);

        var sourceName = Cell(columns.SourceName);
        var sourceCountryText = Cell(columns.SourceCountry);
        var sourceIsState = string.Equals(sourceName, sourceCountryText, StringComparison.OrdinalIgnoreCase)
            || (Cell(columns.SourceSectors) ?? "").Split(',').Any(s => s.Trim().Equals("Government", StringComparison.OrdinalIgnoreCase));
        return new CodedEvent(
            Dataset, eventId, date.ToString("yyyy-MM-dd"), CameoCountries.FromNameOrCode(sourceCountryText), sourceIsState, sourceName,
            CameoCountries.FromNameOrCode(Cell(columns.TargetCountry)), Cell(columns.TargetName),
            Cell(columns.EventText) ?? CameoCodes.Describe(code)!, CameoCodes.StanceOf(code), Cell(columns.Publisher), null)
            .ToRow(row, line, context);
    }
}
