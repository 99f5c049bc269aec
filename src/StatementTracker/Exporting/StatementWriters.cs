using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using StatementTracker.Importing.Formats;
using StatementTracker.Statements;
using StatementTracker.Statements.Recording;
using StatementTracker.Vocabulary;

namespace StatementTracker.Exporting;

/// <summary>The export formats of statements.</summary>
public enum StatementExportFormat { Csv, JsonLines, Plover }

/// <summary>
/// Writes statements one by one, each line flushed on to the output as it fills, so an export of any size
/// streams. JSON Lines are the shape <c>POST /statements</c> and <c>import --format ours</c> read, so an export
/// imports into another tracker as the same statements (ids, content, sources, origin).
/// </summary>
public static class StatementWriters
{
    public static readonly string[] CsvColumns =
        ["id", "country", "topic", "stance", "family", "statedOn", "speaker", "position", "quote", "targets", "source", "sourceUrl",
         "originDataset", "originRecordId", "status", "version"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ContentType(StatementExportFormat format) =>
        format == StatementExportFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";

    public static async Task<long> WriteAsync(IAsyncEnumerable<Statement> statements, StatementExportFormat format, TextWriter output, CancellationToken cancellation)
    {
        long written = 0;
        if (format == StatementExportFormat.Csv) await output.WriteLineAsync(Csv.Line(CsvColumns));
        await foreach (var statement in statements.WithCancellation(cancellation))
        {
            switch (format)
            {
                case StatementExportFormat.Csv:
                    foreach (var topic in statement.Topics) await output.WriteLineAsync(Csv.Line(CsvRow(statement, topic)));
                    break;
                case StatementExportFormat.JsonLines:
                    await output.WriteLineAsync(JsonSerializer.Serialize(ToRecordStatement(statement), Json));
                    break;
                case StatementExportFormat.Plover when PloverRecord(statement) is { } record:
                    await output.WriteLineAsync(JsonSerializer.Serialize(record, Json));
                    break;
                default:
                    continue;
            }
            written++;
        }
        await output.FlushAsync(cancellation);
        return written;
    }

    private static IEnumerable<string?> CsvRow(Statement s, string topic)
    {
        var source = s.Sources.FirstOrDefault();
        return
        [
            s.Id.ToString(), s.Country, topic, s.Stance, StanceFamilies.Of(s.Stance), s.StatedOn.ToString(), s.Speaker.Name, s.Position, s.Quote,
            string.Join(';', s.Targets), source?.Publisher, source?.Url, s.Origin?.Dataset, s.Origin?.RecordId, s.Status, s.Version.ToString(),
        ];
    }

    /// <summary>The statement as the body that records it: what it says now, its sources and origin, under its id.</summary>
    public static RecordStatement ToRecordStatement(Statement s) => new(
        s.Id,
        new SpeakerInput(s.Speaker.Name, s.Speaker.Role),
        s.Country,
        s.Topics.ToArray(),
        s.Position,
        s.StanceInferred ? null : s.Stance,
        s.StatedOn.ToString(),
        s.Quote,
        s.Targets.ToArray(),
        s.Occasion,
        s.Sources.Select(source => (SourceInput?)new SourceInput(source.Publisher, source.Url, source.PublishedOn?.ToString())).ToArray(),
        s.Origin is { } origin ? new OriginInput(origin.Dataset, origin.RecordId) : null);

    /// <summary>PLOVER event types by stance: the inverse of the import table; other stances have none.</summary>
    public static readonly IReadOnlyDictionary<string, string> PloverTypeByStance =
        PolecatEvents.StanceByType.ToDictionary(t => t.Value, t => t.Key);

    /// <summary>A PLOVER-style record of the statement, or null when its stance has no PLOVER type.</summary>
    public static object? PloverRecord(Statement s)
    {
        if (!PloverTypeByStance.TryGetValue(s.Stance, out var type)) return null;
        var source = s.Sources.FirstOrDefault();
        return new
        {
            id = s.Id.ToString(),
            date = s.StatedOn.ToString(),
            @event = new[] { type },
            source = new[] { new { code = s.Country, sector = "GOV", actor_text = s.Speaker.Name, office = s.Speaker.Role } },
            recipient = s.Targets.Select(t => new { code = t, actor_text = Countries.NameOf(t) }).ToArray(),
            event_text = s.Position,
            text = s.Quote,
            context = s.Topics,
            cite_info = source is null ? null : new { publication = source.Publisher, url = source.Url },
            statement_id = s.Id,
            origin = s.Origin is { } o ? new { dataset = o.Dataset, record_id = o.RecordId } : null,
            status = s.Status,
        };
    }
}

/// <summary>RFC 4180 lines: fields with commas, quotes or line breaks are quoted; text that a spreadsheet would run as a formula is prefixed with '.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field));

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '@') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
