using FluentValidation;

namespace StatementTracker.Importing;

/// <summary>What a format needs to turn rows into statements.</summary>
/// <param name="Actor">Who the imported statements are recorded by.</param>
public sealed record ImportContext(IValidator<Statements.Recording.RecordStatement> Validator, string Actor);

/// <summary>
/// A file format the importer reads, one line per row. The first line tells whether the file is of this
/// format (and, for formats with a header, which column is which); after it, every row parses on its own,
/// so rows are parsed in parallel and loaded in file order.
/// </summary>
public interface IImportFormat
{
    /// <summary>The name the command line and the HTTP import use (<c>--format ours</c>).</summary>
    string Name { get; }

    /// <summary>Reads the first line: the parser for the rows, or why the file is not of this format.</summary>
    FormatStart Start(string firstLine);
}

/// <param name="Parser">Parses one row; null when the file is not of this format.</param>
/// <param name="FirstLineIsRow">Whether the first line is a row (no header) and is to be parsed too.</param>
/// <param name="Mismatch">What was expected and what was found, when the file is not of this format.</param>
public sealed record FormatStart(Func<long, string, ImportContext, ImportRow>? Parser, bool FirstLineIsRow, string? Mismatch)
{
    public static FormatStart Rows(Func<long, string, ImportContext, ImportRow> parser, bool firstLineIsRow) => new(parser, firstLineIsRow, null);

    public static FormatStart NotThisFormat(string mismatch) => new(null, false, mismatch);
}

/// <summary>The file is not of the format named: said at once, before anything is imported.</summary>
public sealed class WrongFormatException(string message) : Exception(message);

/// <summary>The formats the importer knows, by name.</summary>
public static class ImportFormats
{
    public static readonly IReadOnlyList<IImportFormat> All = [new Formats.OurJsonLines(), new Formats.IcewsEvents(), new Formats.GdeltEvents(), new Formats.PolecatEvents()];

    public static IImportFormat? Find(string? name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(f => f.Name));
}
