using System.Text.Json;
using StatementTracker.Importing.Cameo;
using StatementTracker.Vocabulary;

namespace StatementTracker.Importing.Formats;

/// <summary>
/// POLECAT, coded in the PLOVER ontology: its tab-separated release files, read by their header names ("Event ID",
/// "Event Date", "Event Type", "Actor Name", "Actor Country", "Primary Actor Sector", "Actor Sectors",
/// "Recipient Name", "Recipient Country", "Source"; "None" is an empty cell, a cell naming several actors
/// separates them with ";" and the first is read), or PLOVER JSON Lines (<c>id</c>, <c>date</c>, <c>event</c>,
/// <c>source</c> and <c>recipient</c> as actor objects with <c>code</c>, <c>sector</c> and <c>actor_text</c>,
/// <c>cite_info.publication</c> and <c>cite_info.url</c>). Only the event types of <see cref="StanceByType"/> are kept.
/// </summary>
public sealed class PolecatEvents : IImportFormat
{
    public const string Dataset = "polecat";

    public string Name => Dataset;

    /// <summary>PLOVER event types that state a position, and their stance (our table); every other type is not verbal.</summary>
    public static readonly IReadOnlyDictionary<string, string> StanceByType = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["AGREE"] = Stances.Commit,
        ["SUPPORT"] = Stances.Support,
        ["DEMAND"] = Stances.Demand,
        ["DISAPPROVE"] = Stances.Condemn,
        ["REJECT"] = Stances.Reject,
        ["THREATEN"] = Stances.Warn,
    };

    /// <summary>Sectors of a state actor, as in GDELT's type codes.</summary>
    private static readonly HashSet<string> StateSectors = new(StringComparer.OrdinalIgnoreCase) { "GOV", "MIL", "LEG", "JUD" };

    private static readonly string[] Required =
        ["Event ID", "Event Date", "Event Type", "Actor Name", "Actor Country", "Recipient Name", "Recipient Country"];

    public FormatStart Start(string firstLine)
    {
        if (firstLine.TrimStart().StartsWith('{')) return FormatStart.Rows(ParsePlover, firstLineIsRow: true);
        var header = TabHeader.Of(firstLine);
        if (header.Mismatch(Required, "PLOVER JSON Lines or a tab-separated POLECAT header", firstLine) is { } mismatch)
            return FormatStart.NotThisFormat(mismatch);
        var columns = new Columns(
            header.Count, header.IndexOf("Event ID"), header.IndexOf("Event Date"), header.IndexOf("Event Type"), header.IndexOf("Actor Name"),
            header.IndexOf("Actor Country"), header.IndexOf("Primary Actor Sector"), header.IndexOf("Actor Sectors"), header.IndexOf("Recipient Name"),
            header.IndexOf("Recipient Country"), header.IndexOf("Source", "Publisher"), header.IndexOf("Event Text"));
        return FormatStart.Rows((row, line, context) => ParseTab(columns, row, line, context), firstLineIsRow: false);
    }

    private sealed record Columns(
        int Count, int EventId, int Date, int Type, int ActorName, int ActorCountry, int PrimarySector, int Sectors, int RecipientName,
        int RecipientCountry, int Publisher, int EventText);

    private static ImportRow ParseTab(Columns columns, long row, string line, ImportContext context)
    {
        // Trailing tabs in some release files add empty columns: a row may be longer than the header, never shorter.
        var cells = line.TrimEnd('\r').Split('\t');
        if (cells.Length < columns.Count)
            return CodedEvent.Reject(row, "$", $"Expected {columns.Count} tab-separated columns, as in the header; found {cells.Length}.", line);
        string? Cell(int i) => First(TabHeader.Cell(cells, i));
        var sectors = (TabHeader.Cell(cells, columns.Sectors) ?? "").Split([';', ','], StringSplitOptions.TrimEntries)
            .Append(Cell(columns.PrimarySector) ?? "");
        return ToRow(row, line, context, Cell(columns.EventId), Cell(columns.Date), Cell(columns.Type), Cell(columns.ActorName),
            Cell(columns.ActorCountry), sectors, Cell(columns.RecipientName), Cell(columns.RecipientCountry), Cell(columns.Publisher), null,
            Cell(columns.EventText));
    }

    private static ImportRow ParsePlover(long row, string line, ImportContext context)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var record = json.RootElement;
            if (record.ValueKind != JsonValueKind.Object) return CodedEvent.Reject(row, "$", "Must be a PLOVER record (a JSON object).", line);
            var source = FirstOf(Get(record, "source") ?? Get(record, "actor"));
            var recipient = FirstOf(Get(record, "recipient") ?? Get(record, "target"));
            var cite = Get(record, "cite_info");
            return ToRow(row, line, context,
                Text(Get(record, "id")), Text(Get(record, "date")), Text(FirstOf(Get(record, "event") ?? Get(record, "event_type"))),
                ActorText(source), ActorField(source, "code") ?? Text(Get(record, "actor_country")),
                (ActorField(source, "sector") ?? "").Split([';', ','], StringSplitOptions.TrimEntries),
                ActorText(recipient), ActorField(recipient, "code") ?? Text(Get(record, "recipient_country")),
                cite is { } c ? Text(Get(c, "publication")) : null, cite is { } u ? Text(Get(u, "url")) : null, Text(Get(record, "event_text")));
        }
        catch (JsonException ex)
        {
            return CodedEvent.Reject(row, "$", $"Not JSON: {ex.Message.Split('.')[0]}.", line);
        }
    }

    private static ImportRow ToRow(
        long row, string line, ImportContext context, string? eventId, string? dateText, string? type, string? actorName, string? actorCountry,
        IEnumerable<string> sectors, string? recipientName, string? recipientCountry, string? publisher, string? url, string? eventText)
    {
        if (eventId is null) return CodedEvent.Reject(row, "Event ID", "Required.", line);
        if (!DateOnly.TryParseExact(dateText?.Length > 10 ? dateText[..10] : dateText, "yyyy-MM-dd", out var date))
            return CodedEvent.Reject(row, "Event Date", $"Not a date (YYYY-MM-DD): '{dateText}'.", line);
        if (type is null) return CodedEvent.Reject(row, "Event Type", "Required.", line);
        if (!StanceByType.TryGetValue(type, out var stance)) return new ImportRow.Skipped(row, CodedEvent.SkipReasons.NotVerbal);

        var country = CameoCountries.FromNameOrCode(actorCountry);
        var isState = sectors.Any(StateSectors.Contains)
            || (country is not null && CameoCountries.FromNameOrCode(actorName) == country);
        var action = eventText ?? char.ToUpperInvariant(type[0]) + type[1..].ToLowerInvariant();
        return new CodedEvent(Dataset, eventId, date.ToString("yyyy-MM-dd"), country, isState, actorName,
                CameoCountries.FromNameOrCode(recipientCountry), recipientName, action, stance, publisher, CodedEvent.HttpUrl(url))
            .ToRow(row, line, context);
    }

    /// <summary>The first of several values in a cell ("A; B"); null for an empty cell or POLECAT's "None".</summary>
    private static string? First(string? cell)
    {
        var first = cell?.Split(';')[0].Trim();
        return string.IsNullOrEmpty(first) || first.Equals("None", StringComparison.OrdinalIgnoreCase) ? null : first;
    }

    private static JsonElement? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement? FirstOf(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Select(e => (JsonElement?)e).FirstOrDefault() : element;

    private static string? Text(JsonElement? element) =>
        element switch
        {
            { ValueKind: JsonValueKind.String } s => First(s.GetString()),
            { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
            _ => null,
        };

    private static string? ActorField(JsonElement? actor, string name) => actor is { ValueKind: JsonValueKind.Object } a ? Text(Get(a, name)) : null;

    private static string? ActorText(JsonElement? actor) =>
        actor is { ValueKind: JsonValueKind.String } ? Text(actor) : ActorField(actor, "actor_text") ?? ActorField(actor, "name");
}
