using System.Text.Json;
using StatementTracker.Infrastructure;
using StatementTracker.Statements.Recording;
using StatementTracker.Statements;

namespace StatementTracker.Importing.Formats;

/// <summary>
/// Our own statements as JSON Lines: one <c>POST /statements</c> body per line, read and checked the same
/// strict way. A line without a <c>statementId</c> gets one derived from its content, so importing the file
/// again finds it already present.
/// </summary>
public sealed class OurJsonLines : IImportFormat
{
    public string Name => "ours";

    public FormatStart Start(string firstLine) =>
        firstLine.TrimStart().StartsWith('{')
            ? FormatStart.Rows(Parse, firstLineIsRow: true)
            : FormatStart.NotThisFormat($"Expected JSON Lines of statements (each line a JSON object such as {{\"speaker\": ...}}); the first line starts with '{Excerpt(firstLine)}'.");

    public static ImportRow Parse(long row, string line, ImportContext context)
    {
        RecordStatement? command;
        try
        {
            command = JsonSerializer.Deserialize<RecordStatement>(line, StrictJsonBody.Options);
        }
        catch (JsonException ex)
        {
            return new ImportRow.Rejected(row, JsonErrors.Describe(ex), line);
        }
        if (command is null) return new ImportRow.Rejected(row, new Dictionary<string, string[]> { ["$"] = ["Must be a statement object."] }, line);

        var validation = context.Validator.Validate(command);
        if (!validation.IsValid)
            return new ImportRow.Rejected(row, new Dictionary<string, string[]>(Problems.Validation(validation).Errors), line);

        var id = command.StatementId ?? OriginInput.DerivedId(command.Origin) ?? NameBasedGuid.Create(NameBasedGuid.Imports, JsonSerializer.Serialize(command, StrictJsonBody.Options));
        return new ImportRow.Statement(row, command.ToEvent(id, context.Actor));
    }

    internal static string Excerpt(string line) => line.Length <= 40 ? line : line[..40] + "...";
}
