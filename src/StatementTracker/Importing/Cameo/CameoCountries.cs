using StatementTracker.Vocabulary;

namespace StatementTracker.Importing.Cameo;

/// <summary>
/// The country codes of CAMEO-coded files (GDELT's actor country codes). They are ISO 3166-1 alpha-3 but for a
/// few older or private codes, mapped here; CAMEO's regional codes (AFR, EUR, MEA, WST, ...) are not countries.
/// </summary>
public static class CameoCountries
{
    /// <summary>CAMEO's codes that differ from ISO 3166-1 alpha-3 (our table).</summary>
    public static readonly IReadOnlyDictionary<string, string> Exceptions = new Dictionary<string, string>
    {
        ["ROM"] = "ROU", // Romania, before ISO changed it in 2002
        ["TMP"] = "TLS", // East Timor, before Timor-Leste
        ["ZAR"] = "COD", // Zaire
        ["MTN"] = "MNE", // Montenegro
        ["IMY"] = "IMN", // Isle of Man
    };

    private static readonly HashSet<string> CountryCodes = [.. Countries.CountryCodes];

    /// <summary>The ISO alpha-3 code of a CAMEO country code; null for a region, an organisation or nothing.</summary>
    public static string? FromCameo(string? code)
    {
        var text = code?.Trim().ToUpperInvariant() ?? "";
        if (text.Length != 3) return null;
        var iso = Exceptions.GetValueOrDefault(text) ?? text;
        return CountryCodes.Contains(iso) ? iso : null;
    }

    /// <summary>The ISO alpha-3 code of a country written as a name or code (ICEWS, POLECAT); null when it is not a country.</summary>
    public static string? FromNameOrCode(string? text) =>
        Countries.Normalise(text?.Trim()) is { } code && CountryCodes.Contains(code) ? code
        : FromCameo(text);
}
