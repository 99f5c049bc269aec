using System.Text.Json;

namespace StatementTracker.Infrastructure;

/// <summary>Turns a System.Text.Json failure into "which field, and what is wrong with it".</summary>
public static class JsonErrors
{
    public const string ExpectedString = "Expected a string.";
    public const string NulCharacter = "Must not contain the NUL character.";
    public const string UnpairedSurrogate = "Must not contain unpaired UTF-16 surrogates.";
    public const string NotAnObject = "The request body must be a JSON object.";
    public const string EmptyBody = "The request body is empty: it must be a JSON object.";

    private static readonly string[] OurMessages = [ExpectedString, NulCharacter, UnpairedSurrogate];

    public static Dictionary<string, string[]> Describe(JsonException exception)
    {
        var field = FieldOf(exception.Path);
        var message = exception.Message;

        string description;
        if (OurMessages.FirstOrDefault(message.StartsWith) is { } ours) description = ours;
        else if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            // The unknown property's name is in the message, not in the path.
            var name = Between(message, "The JSON property '", "'");
            if (name is not null && !field.EndsWith(name, StringComparison.Ordinal)) field = field == "$" ? name : $"{field}.{name}";
            description = "Unknown property: it is not part of this request (check its spelling).";
        }
        else if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            description = "The property appears more than once.";
        else if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            description = "The JSON is nested too deeply.";
        else if (message.Contains("could not be converted", StringComparison.Ordinal))
            description = exception.Path is "$" or null
                ? NotAnObject
                : "Has the wrong type or format for this field.";
        else if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
            description = EmptyBody;
        else
            description = "The request body is not valid JSON.";

        return new() { [Truncated(field)] = [description] };
    }

    /// <summary>
    /// The most of a field path an answer repeats: every field we know is shorter, so only an unknown name is
    /// cut (marked with "…"), and answers never echo arbitrary input at length.
    /// </summary>
    public const int MaxEchoedNameLength = 64;

    public static string Truncated(string field) =>
        field.Length <= MaxEchoedNameLength ? field : field[..MaxEchoedNameLength] + "…";

    /// <summary>"$.sources[0].url" becomes "sources[0].url"; the body itself is "$".</summary>
    public static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "$";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0) return null;
        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : text[from..to];
    }
}
