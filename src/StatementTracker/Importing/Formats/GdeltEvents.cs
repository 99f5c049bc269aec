using StatementTracker.Importing.Cameo;

namespace StatementTracker.Importing.Formats;

/// <summary>
/// GDELT 2.0 event exports (the 15-minute <c>.export.CSV</c> files): 61 tab-separated columns, no header. The
/// columns read: GLOBALEVENTID (0), SQLDATE (1), Actor1Name (6), Actor1CountryCode (7), Actor1Type1Code (12),
/// Actor2Name (16), Actor2CountryCode (17), EventCode (26), SOURCEURL (60). The source is a state actor when
/// its first type code is empty or GOV, MIL, LEG or JUD.
/// </summary>
public sealed class GdeltEvents : IImportFormat
{
    public const string Dataset = "gdelt";
    public const int ColumnCount = 61;

    private static readonly HashSet<string> StateTypes = ["GOV", "MIL", "LEG", "JUD"];

    public string Name => Dataset;

    public FormatStart Start(string firstLine)
    {
        var count = firstLine.TrimEnd('\r').Split('\t').Length;
        return count == ColumnCount
            ? FormatStart.Rows(Parse, firstLineIsRow: true)
            : FormatStart.NotThisFormat(
                $"Expected GDELT 2.0 event rows of {ColumnCount} tab-separated columns without a header; the first line has {count} " +
                $"('{OurJsonLines.Excerpt(firstLine)}').{(count is 57 or 58 ? " That is GDELT 1.0's layout." : "")}");
    }

    public static ImportRow Parse(long row, string line, ImportContext context)
    {
        var cells = line.TrimEnd('\r').Split('\t');
        if (cells.Length != ColumnCount)
            return CodedEvent.Reject(row, "$", $"Expected {ColumnCount} tab-separated columns; found {cells.Length}.", line);
        string? Cell(int i) => TabHeader.Cell(cells, i);

        if (Cell(0) is not { } eventId) return CodedEvent.Reject(row, "GLOBALEVENTID", "Required.", line);
        if (!DateOnly.TryParseExact(Cell(1), "yyyyMMdd", out var date))
            return CodedEvent.Reject(row, "SQLDATE", $"Not a date (YYYYMMDD): '{Cell(1)}'.", line);
        if (CameoCodes.Canonical(Cell(26)) is not { } code)
            return CodedEvent.Reject(row, "EventCode", $"Not a CAMEO event code: '{Cell(26)}'.", line);
        if (!CameoCodes.IsVerbal(code)) return new ImportRow.Skipped(row, CodedEvent.SkipReasons.NotVerbal);

        var sourceUrl = Cell(60);
        var url = CodedEvent.HttpUrl(sourceUrl);
        var publisher = url is null ? sourceUrl : new Uri(url).Host;
        var type = Cell(12)?.ToUpperInvariant();
        return new CodedEvent(
            Dataset, eventId, date.ToString("yyyy-MM-dd"), CameoCountries.FromCameo(Cell(7)), type is null || StateTypes.Contains(type), Cell(6),
            CameoCountries.FromCameo(Cell(17)), Cell(16), CameoCodes.Describe(code)!, CameoCodes.StanceOf(code), publisher, url)
            .ToRow(row, line, context);
    }
}
