using System.Text.Json.Nodes;

namespace StatementTracker.Operations.ApiDescription;

/// <summary>
/// Examples for the OpenAPI document, taken from the seed statements shipped with the service: the headline one,
/// Japan's "closely monitor" on China–Russia relations, as the body of a recording.
/// </summary>
public static class SeedExamples
{
    private static readonly Lazy<JsonArray> Seeds = new(() =>
    {
        var all = new JsonArray();
        var assembly = typeof(SeedExamples).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("seeds/", StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            if (JsonNode.Parse(stream) is JsonArray items)
                foreach (var item in items) all.Add(item!.DeepClone());
        }
        return all;
    });

    /// <summary>Japan's position on China–Russia relations from the seeds, as a <c>POST /statements</c> body; null if the seeds lack it.</summary>
    public static JsonNode? Headline() =>
        Seeds.Value.FirstOrDefault(s =>
            s?["country"]?.GetValue<string>() == "JPN"
            && s["topics"]?.AsArray().Any(t => t?.GetValue<string>() == "china-russia-relations") == true
            && s["position"]?.GetValue<string>().Contains("monitor", StringComparison.OrdinalIgnoreCase) == true)?.DeepClone();
}
