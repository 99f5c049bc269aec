using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace StatementTracker.Vocabulary;

/// <summary>
/// Normalises whose position a statement expresses to its canonical code: ISO 3166-1 alpha-3
/// for countries ("Japan", "JP", "jpn" -> "JPN"), and a short code for the few international
/// organisations that speak with one voice (see <see cref="Organisations"/>).
/// </summary>
public static class Countries
{
    /// <summary>International organisations accepted as speakers, by canonical code.</summary>
    public static readonly IReadOnlyList<(string Code, string Name, string[] Aliases)> Organisations =
    [
        ("EU", "European Union", []),
        ("UN", "United Nations", ["UNO"]),
        ("NATO", "North Atlantic Treaty Organization", ["North Atlantic Treaty Organisation", "OTAN"]),
        ("ASEAN", "Association of Southeast Asian Nations", []),
        ("SCO", "Shanghai Cooperation Organisation", ["Shanghai Cooperation Organization"]),
        ("G7", "Group of Seven", []),
        ("G20", "Group of Twenty", []),
        ("BRICS", "BRICS", []),
        ("OSCE", "Organization for Security and Co-operation in Europe", []),
        ("GCC", "Gulf Cooperation Council", []),
        ("OAS", "Organization of American States", []),
        ("ARAB-LEAGUE", "Arab League", ["League of Arab States"]),
        ("IAEA", "International Atomic Energy Agency", []),
        ("WHO", "World Health Organization", []),
    ];

    private static readonly FrozenDictionary<string, string> CodeByName = BuildIndex();
    private static readonly FrozenDictionary<string, string> NameByCode = CountryList.All
        .Select(c => (c.Alpha3, c.Name))
        .Concat(Organisations.Select(o => (Alpha3: o.Code, o.Name)))
        .ToFrozenDictionary(x => x.Alpha3, x => x.Name);

    /// <summary>Every country's canonical code (ISO 3166-1 alpha-3), in code order.</summary>
    public static IReadOnlyList<string> CountryCodes { get; } = CountryList.All.Select(c => c.Alpha3).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The canonical code for a code or English name, or null when it is not one we know.</summary>
    public static string? Normalise(string? codeOrName) =>
        codeOrName is null ? null : CodeByName.GetValueOrDefault(Key(codeOrName));

    public static bool IsKnown(string? codeOrName) => Normalise(codeOrName) is not null;

    /// <summary>The English name for a canonical code.</summary>
    public static string? NameOf(string code) => NameByCode.GetValueOrDefault(code);

    private static FrozenDictionary<string, string> BuildIndex()
    {
        var index = new Dictionary<string, string>();
        foreach (var country in CountryList.All)
        {
            foreach (var name in new[] { country.Alpha3, country.Alpha2, country.Name }.Concat(country.Aliases))
                index.TryAdd(Key(name), country.Alpha3);
        }
        foreach (var (code, name, aliases) in Organisations)
        {
            foreach (var alias in new[] { code, name }.Concat(aliases))
                index.TryAdd(Key(alias), code);
        }
        return index.ToFrozenDictionary();
    }

    /// <summary>Case, accents, "the", dots and spacing do not matter: "the U.S." finds "US".</summary>
    private static string Key(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Trim().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (c is '.') continue;
            if (c is '’' or '`') { folded.Append('\''); continue; }
            folded.Append(char.IsWhiteSpace(c) || c == '_' ? ' ' : char.ToUpperInvariant(c));
        }
        var key = string.Join(' ', folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return key.StartsWith("THE ", StringComparison.Ordinal) ? key[4..] : key;
    }
}
