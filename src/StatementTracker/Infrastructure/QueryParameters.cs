using System.Globalization;

namespace StatementTracker.Infrastructure;

/// <summary>Parses query string values, collecting one error per bad parameter.</summary>
public sealed class QueryParameters
{
    private readonly Dictionary<string, string[]> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public Microsoft.AspNetCore.Mvc.ProblemDetails Problem => Problems.Validation(_errors);

    public void Reject(string name, string message) => _errors[name] = [message];

    /// <summary>A whole number from <paramref name="min"/> up; values above <paramref name="cap"/> are capped.</summary>
    public int Int(string name, string? raw, int fallback, int min, int cap)
    {
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Reject(name, $"Must be a whole number of at least {min}.");
            return fallback;
        }
        return Math.Min(value, cap);
    }

    public long? Long(string name, string? raw, long min)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min) return value;
        Reject(name, $"Must be a whole number of at least {min}.");
        return null;
    }

    private static readonly string YearRange = $"from {Vocabulary.PartialDate.EarliestYear} to {Vocabulary.PartialDate.LatestYear}";

    /// <summary>
    /// An ISO 8601 instant ("2024-07-05T10:00:00Z") in the supported years; without an offset it is taken as UTC.
    /// An empty value is taken as absent.
    /// </summary>
    public DateTimeOffset? Instant(string name, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (DateTimeOffset.TryParse(raw.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            && InSupportedYears(value.Year))
            return value;
        Reject(name, $"Must be an ISO 8601 instant such as 2024-07-05T10:00:00Z, in the years {YearRange}.");
        return null;
    }

    /// <summary>
    /// A partial date: YYYY, YYYY-MM or YYYY-MM-DD, in the supported years (date arithmetic past them would
    /// overflow). An empty value is taken as absent.
    /// </summary>
    public Vocabulary.PartialDate? Date(string name, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (Vocabulary.PartialDate.TryParse(raw.Trim(), out var date) && InSupportedYears(date.Year)) return date;
        Reject(name, $"Must be a date of the form YYYY, YYYY-MM or YYYY-MM-DD, in the years {YearRange}.");
        return null;
    }

    private static bool InSupportedYears(int year) =>
        year is >= Vocabulary.PartialDate.EarliestYear and <= Vocabulary.PartialDate.LatestYear;
}
