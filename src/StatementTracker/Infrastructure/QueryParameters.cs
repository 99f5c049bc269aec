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
}
