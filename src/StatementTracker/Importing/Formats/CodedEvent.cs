using StatementTracker.Importing.Cameo;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Statements.Recording;

namespace StatementTracker.Importing.Formats;

/// <summary>
/// One row of a coded event dataset (ICEWS, GDELT, POLECAT), read into the fields our rules look at. The
/// format decides <paramref name="Stance"/> and <paramref name="Action"/> from its own codes, and whether the
/// source is a state actor; the rules shared by all of them are in <see cref="ToRow"/>.
/// </summary>
/// <param name="Date">The event date, as <c>YYYY-MM-DD</c>.</param>
/// <param name="Action">The event's words ("Criticize or denounce"), put before the target's name in the position.</param>
/// <param name="Stance">The stance the code gives, or null to leave it to inference from the position.</param>
public sealed record CodedEvent(
    string Dataset, string RecordId, string Date, string? SourceCountry, bool SourceIsState, string? SpeakerName,
    string? TargetCountry, string? TargetName, string Action, string? Stance, string? Publisher, string? Url)
{
    public static class SkipReasons
    {
        public const string NotVerbal = "not verbal";
        public const string NoSourceCountry = "no source country";
        public const string NotAStateActor = "not a state actor";
        public const string NoForeignTarget = "no foreign target";
    }

    /// <summary>Applies the rules every dataset shares: a state actor speaks to a foreign target. The code was checked by the format.</summary>
    public ImportRow ToRow(long row, string line, ImportContext context)
    {
        if (SourceCountry is null) return new ImportRow.Skipped(row, SkipReasons.NoSourceCountry);
        if (!SourceIsState) return new ImportRow.Skipped(row, SkipReasons.NotAStateActor);
        if (TargetCountry is null || TargetCountry == SourceCountry) return new ImportRow.Skipped(row, SkipReasons.NoForeignTarget);

        var target = Clip(TargetName, 200) ?? Vocabulary.Countries.NameOf(TargetCountry) ?? TargetCountry;
        var command = new RecordStatement(
            StatementId: null,
            Speaker: new SpeakerInput(Clip(SpeakerName, Statements.StatementRules.MaxNameLength) ?? Vocabulary.Countries.NameOf(SourceCountry), null),
            Country: SourceCountry,
            Topics: [$"relations-with-{TargetCountry.ToLowerInvariant()}"],
            Position: Clip($"{Action}: {target}", Statements.StatementRules.MaxPositionLength),
            Stance: Stance,
            StatedOn: Date,
            Quote: null,
            Targets: [TargetCountry],
            Occasion: null,
            Sources: [new SourceInput(Clip(Publisher, Statements.StatementRules.MaxPublisherLength) ?? Dataset.ToUpperInvariant(), Url, null)],
            Origin: new OriginInput(Dataset, RecordId));
        var validation = context.Validator.Validate(command);
        if (!validation.IsValid)
            return new ImportRow.Rejected(row, new Dictionary<string, string[]>(Problems.Validation(validation).Errors), line);
        return new ImportRow.Statement(row, command.ToEvent(command.IdOrNew(), context.Actor));
    }

    /// <summary>Text made to fit a field: trimmed, control characters removed, cut at the limit; null when empty.</summary>
    public static string? Clip(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : clean.Length <= max ? clean : clean[..max].TrimEnd();
    }

    /// <summary>A row refused with one reason under one field name.</summary>
    public static ImportRow.Rejected Reject(long row, string field, string message, string line) =>
        new(row, new Dictionary<string, string[]> { [field] = [message] }, line);

    /// <summary>A URL kept only when it is one a statement may carry (http or https, not too long).</summary>
    public static string? HttpUrl(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && text!.Trim().Length <= 2048
            ? text.Trim()
            : null;
}

/// <summary>Tab-separated rows with a header naming the columns (ICEWS, POLECAT).</summary>
public sealed class TabHeader(string[] names)
{
    private readonly Dictionary<string, int> _index = names
        .Select((name, i) => (Name: name.Trim().Trim('"'), i))
        .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);

    public int Count => names.Length;

    public static TabHeader Of(string line) => new(line.TrimEnd('\r').Split('\t'));

    public IReadOnlyList<string> Missing(IEnumerable<string> required) => required.Where(r => !_index.ContainsKey(r)).ToArray();

    /// <summary>Why a first line is not the header expected (<paramref name="expected"/> names it), or null when it is.</summary>
    public string? Mismatch(IReadOnlyList<string> required, string expected, string firstLine) =>
        Missing(required) is { Count: > 0 } missing
            ? $"Expected {expected} with the columns {string.Join(", ", required.Select(r => $"'{r}'"))}; " +
              $"missing {string.Join(", ", missing.Select(m => $"'{m}'"))} in '{OurJsonLines.Excerpt(firstLine)}'."
            : null;

    /// <summary>The first of the names that the header has, or -1.</summary>
    public int IndexOf(params string[] candidates)
    {
        foreach (var name in candidates)
            if (_index.TryGetValue(name, out var i)) return i;
        return -1;
    }

    public static string? Cell(string[] cells, int index) =>
        index < 0 || index >= cells.Length || string.IsNullOrWhiteSpace(cells[index]) ? null : cells[index].Trim().Trim('"').Trim();
}
