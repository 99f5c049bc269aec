using StatementTracker.Importing;
using StatementTracker.Importing.Formats;
using StatementTracker.Statements.Recording;

namespace StatementTracker.Tests.Importing;

/// <summary>Rows of each dataset written for the tests (never copied from published files), and a parser over them.</summary>
public static class DatasetRows
{
    public static readonly ImportContext Context = new(new RecordStatement.Validator(TimeProvider.System), "import:test");

    public const string IcewsHeader =
        "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude";

    public static string Icews(
        string id = "32889836", string date = "2018-03-05", string sourceName = "Japan", string sectors = "", string sourceCountry = "Japan",
        string text = "Criticize or denounce", string code = "111", string targetName = "United States", string targetCountry = "United States",
        string publisher = "Kyodo News") =>
        string.Join('\t', id, date, sourceName, sectors, sourceCountry, text, code, "-2.0", targetName, "Government", targetCountry,
            "123", "1", publisher, "Tokyo", "", "Tokyo", "Japan", "35.6", "139.7");

    public static string Gdelt(
        string id = "1037207001", string date = "20220301", string actor1Name = "JAPAN", string actor1Country = "JPN", string actor1Type = "",
        string actor2Name = "UNITED STATES", string actor2Country = "USA", string code = "111",
        string url = "https://www.example-news.test/world/2022/03/01/story.html")
    {
        var cells = Enumerable.Repeat("", GdeltEvents.ColumnCount).ToArray();
        cells[0] = id; cells[1] = date; cells[2] = date[..6]; cells[3] = date[..4]; cells[4] = "2022.1616";
        cells[5] = actor1Country; cells[6] = actor1Name; cells[7] = actor1Country; cells[12] = actor1Type;
        cells[15] = actor2Country; cells[16] = actor2Name; cells[17] = actor2Country;
        cells[25] = "1"; cells[26] = code; cells[27] = code.Length > 3 ? code[..3] : code; cells[28] = code.Length > 2 ? code[..2] : code; cells[29] = "3";
        cells[59] = date + "120000"; cells[60] = url;
        return string.Join('\t', cells);
    }

    public const string PolecatHeader =
        "Event ID\tEvent Date\tEvent Type\tEvent Mode\tIntensity\tQuad Code\tContexts\tActor Name\tActor Country\tActor COW\tPrimary Actor Sector\tActor Sectors\tActor Title\tActor Name Raw\tWikipedia Actor ID\tRecipient Name\tRecipient Country\tRecipient COW\tPrimary Recipient Sector\tRecipient Sectors\tRecipient Title\tRecipient Name Raw\tWikipedia Recipient ID\tPlacename\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude\tGeoNames ID\tRaw Placename\tFeature Type\tSource\tPublication Date\tStory People\tStory Organizations\tStory Locations\tLanguage\tVersion";

    public static string Polecat(
        string id = "20230105-0101-abc_DISAPPROVE_R", string date = "2023-01-05", string type = "DISAPPROVE", string actorName = "Fumio Kishida",
        string actorCountry = "JPN", string primarySector = "GOV", string sectors = "GOV; ELI", string recipientName = "Vladimir Putin",
        string recipientCountry = "RUS", string source = "Example Wire") =>
        string.Join('\t', id, date, type, "None", "-5", "VERBAL CONFLICT", "diplomatic", actorName, actorCountry, "740", primarySector, sectors,
            "Prime Minister", actorName, "Q1", recipientName, recipientCountry, "365", "GOV", "GOV", "President", recipientName, "Q2",
            "Tokyo", "Tokyo", "None", "Tokyo", "JPN", "35.6", "139.7", "1850147", "Tokyo", "PPLC", source, date, "None", "None", "None", "en", "1.0");

    /// <summary>Parses a file's lines as the importer does: the first line starts the format, then every row.</summary>
    public static IReadOnlyList<ImportRow> Parse(IImportFormat format, params string[] lines)
    {
        var start = format.Start(lines[0]);
        if (start.Parser is not { } parse) throw new WrongFormatException(start.Mismatch!);
        var rows = start.FirstLineIsRow ? lines : lines[1..];
        var first = start.FirstLineIsRow ? 1 : 2;
        return rows.Select((line, i) => parse(first + i, line, Context)).ToArray();
    }

    public static ImportRow One(IImportFormat format, string header, string row) =>
        header.Length == 0 ? Parse(format, row).Single() : Parse(format, header, row).Single();
}
