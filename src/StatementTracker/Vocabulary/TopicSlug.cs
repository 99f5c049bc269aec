using System.Text.RegularExpressions;

namespace StatementTracker.Vocabulary;

/// <summary>Topics are lowercase kebab-case slugs: "china-russia-relations", "south-china-sea".</summary>
public static partial class TopicSlug
{
    public const int MaxLength = 64;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? topic) =>
        topic is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(topic);
}
