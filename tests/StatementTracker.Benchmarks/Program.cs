using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Testing;
using StatementTracker.Vocabulary;

// A country with a long history: STATEMENTS statements for one country over 20 topics, recorded out
// of order, a tenth of them corrected and a fiftieth retracted, beside a smaller crowd of others.
var statements = args.Length > 0 ? int.Parse(args[0]) : 100_000;
const string Country = "JPN";
string[] topics = [.. Enumerable.Range(0, 20).Select(i => $"topic-{i:D2}")];
string[] stances = [.. Stances.Codes];
string[] otherCountries = ["CHN", "RUS", "USA", "PHL", "KAZ", "IND", "AUS", "KOR", "VNM", "IDN"];
var random = new Random(20240704);

Console.WriteLine($"StatementTracker benchmark: {statements:N0} statements for {Country}, {Environment.ProcessorCount} cores");
await using var database = new TestDatabase();
await database.InitializeAsync();
var connectionString = await database.CreateDatabaseAsync("benchmark");

// Schema first, from the service itself; then write the history straight into the event store.
await using (var first = new ServiceNode(connectionString, "benchmark-schema")) await first.StartAsync();

using var store = DocumentStore.For(options => options.ConfigureStore(connectionString));
var ids = new List<(Guid Id, StatementContent Content)>();
var load = Stopwatch.StartNew();
DateTimeOffset knownMidway = default;
for (var batch = 0; batch < statements / 1000 + 1; batch++)
{
    await using var session = store.LightweightSession();
    var inBatch = Math.Min(1000, statements - batch * 1000) + (batch % 10 == 0 ? 100 : 0);
    for (var i = 0; i < inBatch; i++)
    {
        var mine = i < 1000 && batch * 1000 + i < statements;
        var stance = stances[random.Next(stances.Length)];
        var content = new StatementContent(
            new Speaker($"Speaker {random.Next(200)}", "Spokesperson"),
            mine ? Country : otherCountries[random.Next(otherCountries.Length)],
            [topics[random.Next(topics.Length)]],
            $"position {batch}-{i} ({stance})",
            stance,
            PartialDate.OfDay(new DateOnly(2000, 1, 1).AddDays(random.Next(9000))),
            random.Next(4) == 0 ? "A verbatim quote of moderate length, as reports give them." : null,
            ["CHN"],
            "press conference");
        var id = Guid.CreateVersion7();
        session.Events.StartStream<Statement>(id, new StatementRecorded(id, content, [new Source("Kyodo", $"https://kyodo.example/{id}", null)], "benchmark"));
        if (mine) ids.Add((id, content));
    }
    await session.SaveChangesAsync();
    if (batch == statements / 2000) knownMidway = DateTimeOffset.UtcNow;
}
var recorded = load.Elapsed;

var changes = Stopwatch.StartNew();
int corrections = 0, retractions = 0;
foreach (var chunk in ids.Where((_, i) => i % 10 == 0).Chunk(1000))
{
    await using var session = store.LightweightSession();
    foreach (var (id, content) in chunk)
    {
        if (random.Next(5) == 0)
        {
            session.Events.Append(id, new StatementRetracted(id, "misattributed", "benchmark"));
            retractions++;
        }
        else
        {
            var after = content with { StatedOn = PartialDate.OfDay(content.StatedOn.FirstDay.AddDays(-3)), Stance = Stances.Concern };
            session.Events.Append(id, new StatementCorrected(id, content, after, "re-dated", "benchmark"));
            corrections++;
        }
    }
    await session.SaveChangesAsync();
}
var changed = changes.Elapsed;

// The service catches up on all of it, as after a deploy onto an existing store.
await using var node = new ServiceNode(connectionString, "benchmark", new Dictionary<string, string> { ["Limits:Burst"] = "0" });
await node.StartAsync();
using var client = node.CreateClient(TimeSpan.FromMinutes(5));
async Task<long> LagAsync()
{
    var overview = await client.GetFromJsonAsync<JsonObject>("/admin/projections");
    return overview!["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "PositionHistory")!["lag"]!.GetValue<long>();
}
var catchUp = Stopwatch.StartNew();
while (await LagAsync() > 0) await Task.Delay(200);
var caughtUp = catchUp.Elapsed;

Console.WriteLine();
Console.WriteLine($"load: {ids.Count:N0} statements for {Country} (+ others) recorded in {recorded.TotalSeconds:F1} s; " +
                  $"{corrections:N0} corrections and {retractions:N0} retractions in {changed.TotalSeconds:F1} s");
Console.WriteLine($"projection catch-up from zero: {caughtUp.TotalSeconds:F1} s");
Console.WriteLine();
Console.WriteLine($"{"read",-62} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"KiB",8}");

async Task Time(string name, string url, int runs = 20)
{
    await client.GetAsync(url); // warm
    var times = new List<double>();
    long size = 0;
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        times.Add(clock.Elapsed.TotalMilliseconds);
        size = body.Length;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
    }
    times.Sort();
    Console.WriteLine($"{name,-62} {times[runs / 2],8:F1} {times[(int)(runs * 0.95)],8:F1} {times[^1],8:F1} {size / 1024.0,8:F0}");
}

var knownAt = Uri.EscapeDataString(knownMidway.ToString("O"));
var sample = ids[ids.Count / 3].Id;
await Time($"country, all 20 topics, now", $"/countries/{Country}/positions");
await Time($"country, all topics, historyLimit=100", $"/countries/{Country}/positions?historyLimit=100");
await Time($"country, all topics, asOf=2010", $"/countries/{Country}/positions?asOf=2010&historyLimit=100");
await Time($"country, all topics, knownAt=midway", $"/countries/{Country}/positions?knownAt={knownAt}&historyLimit=100");
await Time($"country, one topic (~{statements / 20:N0} statements), now", $"/countries/{Country}/positions/topic-07");
await Time($"country, one topic, asOf + knownAt", $"/countries/{Country}/positions/topic-07?asOf=2015&knownAt={knownAt}");
await Time($"topic overview, now", "/topics/topic-07/positions");
await Time($"topic overview, knownAt=midway", $"/topics/topic-07/positions?knownAt={knownAt}");
await Time($"statement list, country filter, page 1", $"/statements?country={Country}&pageSize=100");
await Time($"statement list, country + topic + dates, page 50", $"/statements?country={Country}&topic=topic-07&from=2005&to=2020&page=50&pageSize=20");
await Time($"statement by id, knownAt", $"/statements/{sample}?knownAt={knownAt}");
await Time($"statement history", $"/statements/{sample}/history");

// Writes over HTTP, 16 clients.
var writes = 4000;
var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
var writeClock = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, writes), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
{
    var clock = Stopwatch.StartNew();
    using var response = await client.PostAsJsonAsync("/statements", StatementBodies.Valid(topics[i % topics.Length], Country, "2024-07-04"));
    response.EnsureSuccessStatusCode();
    latencies.Add(clock.Elapsed.TotalMilliseconds);
});
var writeTime = writeClock.Elapsed;
var sorted = latencies.Order().ToArray();
Console.WriteLine();
Console.WriteLine($"writes: {writes:N0} POST /statements from 16 clients in {writeTime.TotalSeconds:F1} s = {writes / writeTime.TotalSeconds:F0}/s; " +
                  $"p50 {sorted[writes / 2]:F1} ms, p99 {sorted[(int)(writes * 0.99)]:F1} ms");
while (await LagAsync() > 0) await Task.Delay(100);

var rebuild = Stopwatch.StartNew();
(await client.PostAsync("/admin/projections/PositionHistory/rebuild", null)).EnsureSuccessStatusCode();
while (true)
{
    var overview = await client.GetFromJsonAsync<JsonObject>("/admin/projections");
    var last = overview!["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "PositionHistory")!["lastRebuild"];
    if (last?["status"]?.GetValue<string>() is "completed" or "failed") break;
    await Task.Delay(200);
}
Console.WriteLine($"rebuild of PositionHistory over all events: {rebuild.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"service resident memory after all of it: {node.ResidentBytes() / (1024 * 1024)} MiB");
