using System.Text.Json.Nodes;
using StatementTracker.Vocabulary;

namespace StatementTracker.Benchmarks;

/// <summary>
/// Synthetic statements, the same in every run (a fixed seed): 200 countries and 500 topics, one country
/// (JPN) with a tenth of them. Names such as "Speaker 17" and "Synthetic Wire" say the data is made up.
/// </summary>
public sealed class Corpus(int seed)
{
    public const string BigCountry = "JPN";
    public static readonly string[] CountryCodes = [.. Countries.CountryCodes.Where(c => c != BigCountry).Take(199).Prepend(BigCountry)];
    public static readonly string[] Topics = [.. Enumerable.Range(1, 500).Select(i => $"topic-{i:D3}")];
    private static readonly string[] Positions =
    [
        "will closely monitor the situation", "opposes the unilateral change of the status quo", "expresses serious concern about the drills",
        "urges all parties to exercise restraint", "condemns the missile launch", "welcomes the ceasefire agreement",
        "supports the peaceful settlement of disputes", "declined to comment on the talks", "held talks on the matter",
    ];
    private static readonly string[][] TargetSets = [[], ["CHN"], ["RUS"], ["USA"], ["CHN", "RUS"]];

    /// <summary>The topics the big country speaks on: a few, so its histories are long.</summary>
    public static readonly string[] BigCountryTopics = Topics[..20];

    /// <summary>
    /// Statement number <paramref name="index"/>, as a POST /statements body (with its id): a function of the seed
    /// and the index alone, so concurrent clients may ask for any statement in any order.
    /// </summary>
    public JsonObject Next(int index)
    {
        var random = new Random(unchecked(seed * 1_000_003 + index));
        var big = index % 10 == 0;
        var country = big ? BigCountry : CountryCodes[1 + random.Next(CountryCodes.Length - 1)];
        var topic = big ? BigCountryTopics[random.Next(BigCountryTopics.Length)] : Topics[random.Next(Topics.Length)];
        var day = new DateOnly(2000, 1, 1).AddDays(random.Next(9000));
        var statedOn = random.Next(10) switch { 0 => day.ToString("yyyy"), 1 => day.ToString("yyyy-MM"), _ => day.ToString("yyyy-MM-dd") };
        var id = new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16));
        return new JsonObject
        {
            ["statementId"] = id.ToString(),
            ["speaker"] = new JsonObject { ["name"] = $"Speaker {random.Next(500)}", ["role"] = "Spokesperson" },
            ["country"] = country,
            ["topics"] = new JsonArray(topic),
            ["position"] = Positions[random.Next(Positions.Length)],
            ["statedOn"] = statedOn,
            ["targets"] = new JsonArray(TargetSets[random.Next(TargetSets.Length)].Select(t => (JsonNode)t).ToArray()),
            ["sources"] = new JsonArray(new JsonObject
            {
                ["publisher"] = "Synthetic Wire",
                ["url"] = $"https://wire.example/{id:N}",
                ["publishedOn"] = day.ToString("yyyy-MM-dd"),
            }),
        };
    }

    /// <summary>Writes <paramref name="count"/> statements as JSON Lines; answers the file's path.</summary>
    public static string WriteFile(int count, int seed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"statementtracker-corpus-v2-{count}-{seed}.jsonl");
        if (File.Exists(path)) return path;
        var corpus = new Corpus(seed);
        using var writer = new StreamWriter(path + ".part");
        for (var i = 0; i < count; i++) writer.WriteLine(corpus.Next(i).ToJsonString());
        writer.Close();
        File.Move(path + ".part", path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Writes <paramref name="lines"/> request bodies, one per line: single statements, or JSON arrays of
    /// <paramref name="perLine"/> statements; answers the file's path (a fresh file each time).
    /// </summary>
    public static string WriteBodies(int lines, int perLine, int seed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"statementtracker-bodies-{Guid.NewGuid():N}.jsonl");
        var corpus = new Corpus(seed);
        using var writer = new StreamWriter(path);
        for (var i = 0; i < lines; i++)
        {
            if (perLine == 1)
            {
                writer.WriteLine(corpus.Next(i).ToJsonString());
                continue;
            }
            var batch = new JsonArray();
            for (var j = 0; j < perLine; j++) batch.Add(corpus.Next(i * perLine + j));
            writer.WriteLine(batch.ToJsonString());
        }
        return path;
    }
}
