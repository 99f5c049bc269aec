using System.Text.Json.Nodes;

namespace StatementTracker.Testing;

/// <summary>Request bodies for tests: a valid statement to start from, changed per test.</summary>
public static class StatementBodies
{
    public static JsonObject Valid(string topic = "china-russia-relations", string country = "JPN", string statedOn = "2024-07-04",
        string position = "will closely monitor the development of China-Russia relations", Guid? id = null) => new()
    {
        ["statementId"] = (id ?? Guid.CreateVersion7()).ToString(),
        ["speaker"] = new JsonObject { ["name"] = "Hayashi Yoshimasa", ["role"] = "Chief Cabinet Secretary" },
        ["country"] = country,
        ["topics"] = new JsonArray(topic),
        ["position"] = position,
        ["statedOn"] = statedOn,
        ["sources"] = new JsonArray(new JsonObject
        {
            ["publisher"] = "TV Asahi",
            ["url"] = "https://news.tv-asahi.co.jp/news_politics/articles/000355000.html",
            ["publishedOn"] = statedOn,
        }),
    };

    /// <summary>A topic slug no other test uses, so a test's positions are its own.</summary>
    public static string UniqueTopic(string prefix = "topic") => $"{prefix}-{Guid.NewGuid():N}";

    public static JsonObject With(this JsonObject body, string property, JsonNode? value)
    {
        var copy = (JsonObject)body.DeepClone();
        copy[property] = value;
        return copy;
    }

    public static JsonObject Without(this JsonObject body, string property)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove(property);
        return copy;
    }
}
