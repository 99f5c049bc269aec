using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using StatementTracker.Benchmarks;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Testing;

// StatementTracker's speed beside PostgreSQL's own, in one run on one machine, from synthetic data.
// `--quick` runs a smaller corpus and shorter phases for a first look. Asserts nothing: it prints a table.
var quick = args.Contains("--quick");
var statements = quick ? 50_000 : 1_000_000;
var phase = TimeSpan.FromSeconds(quick ? 5 : 15);
var readPhase = TimeSpan.FromSeconds(quick ? 3 : 8);
const int Clients = 16;
var rows = new List<(string Section, string What, string Figure, string Note)>();
void Row(string section, string what, string figure, string note = "") { rows.Add((section, what, figure, note)); Console.WriteLine($"  {what}: {figure} {note}"); }
static string Rate(double perSecond) => $"{perSecond:N0}/s";
static string Ms(double ms) => ms < 10 ? $"{ms:F1}" : $"{ms:F0}";
static string Mib(long bytes) => $"{bytes / 1024.0 / 1024:N0} MiB";

Console.WriteLine($"StatementTracker benchmark: {statements:N0} statements{(quick ? " (quick)" : "")}");
// The service runs as the image ships it: published for this machine's runtime, compiled ahead of time (ReadyToRun).
Console.WriteLine("publishing the service (ReadyToRun)");
Environment.SetEnvironmentVariable(HostProcess.DirectoryVariable, await PublishedHost.PublishAsync());
await using var database = new TestDatabase();
await database.InitializeAsync();
// Each database's schema is made first by `db-apply`, as every deployment does; the service then starts as the
// image ships it, changing no schema (`Database:AutoCreate` None): comparing the schema at start took about 400 ms.
var service = new Dictionary<string, string> { ["Limits:Burst"] = "0", ["Database:AutoCreate"] = "None" };
async Task<string> DatabaseWithSchemaAsync(string name)
{
    var connectionString = await database.CreateDatabaseAsync(name);
    var (exit, output) = await HostProcess.RunAsync(connectionString, "db-apply");
    if (exit != 0) throw new InvalidOperationException($"db-apply failed: {output}");
    return connectionString;
}

// 1. PostgreSQL's own limits, with the same payloads.
Console.WriteLine("limits");
var limitsDb = await database.CreateDatabaseAsync("limits");
var payloadCorpus = new Corpus(seed: 1);
var payloads = Enumerable.Range(0, Math.Min(statements, 200_000)).Select(i => payloadCorpus.Next(i).ToJsonString()).ToArray();
var rawInsert = await Measure.RawInsertsPerSecondAsync(limitsDb, payloads, Clients, phase);
Row("limits", $"raw single-row INSERT, {Clients} connections", Rate(rawInsert));
var rawCopy = await Measure.RawCopyPerSecondAsync(limitsDb, payloads);
Row("limits", "raw binary COPY", Rate(rawCopy), $"({payloads.Length:N0} rows)");

// 2. Ingest over HTTP, on a database of its own.
Console.WriteLine("ingest");
await using var ingestNode = new ServiceNode(await DatabaseWithSchemaAsync("ingest"), "bench-ingest", service);
await ingestNode.StartAsync();
Row("start", "process start to first 200 (empty database)", $"{ingestNode.StartedIn.TotalMilliseconds:N0} ms");
using var ingest = ingestNode.CreateClient(TimeSpan.FromMinutes(2));
// wrk posts when installed (its CPU per request is a fraction of HttpClient's, on the same two cores); the bodies
// are written beforehand, as the raw INSERTs' payloads are, each statement posted once.
Console.WriteLine(Wrk.IsInstalled ? "  (load from wrk)" : "  (load from HttpClient: install wrk for a lighter client)");
var singleBodies = Corpus.WriteBodies((int)phase.TotalSeconds * 20_000, perLine: 1, seed: 2);
var batchBodies = Corpus.WriteBodies((int)phase.TotalSeconds * 20, perLine: 1000, seed: 3);
// A warm-up first, not counted: the service's code is compiled to its optimised tier over its first seconds
// under load (single POSTs in the first 5 s after start ran at about half the later rate).
var warmUp = TimeSpan.FromSeconds(5);
var warmUpBodies = Corpus.WriteBodies((int)warmUp.TotalSeconds * 20_000, perLine: 1, seed: 5);
Task<LoadResult> Post(string path, string bodies, int clients, TimeSpan duration, int weight = 1) => Wrk.IsInstalled
    ? Wrk.PostAsync(new Uri(ingestNode.BaseAddress, path), TestKeys.Editor, "application/json", bodies, clients, duration, weight)
    : Measure.ClosedLoopAsync(ingest, clients, duration, bodies, path, "application/json", weight);
await Post("/statements", warmUpBodies, Clients, warmUp);
File.Delete(warmUpBodies);
var (single, singlePeak) = await Measure.WatchingMemoryAsync(ingestNode, () => Post("/statements", singleBodies, Clients, phase));
Row("ingest", $"single POST /statements, {Clients} clients, after {warmUp.TotalSeconds:N0} s of warm-up", Rate(single.PerSecond),
    $"p50 {Ms(single.P50)} ms, p95 {Ms(single.P95)} ms, p99 {Ms(single.P99)} ms, {single.Errors} errors ({single.Client})");
var (batch, batchPeak) = await Measure.WatchingMemoryAsync(ingestNode, () => Post("/statements/batch", batchBodies, 4, phase, weight: 1000));
Row("ingest", "POST /statements/batch of 1,000, 4 clients", Rate(batch.PerSecond),
    $"per batch p50 {Ms(batch.P50)} ms, p99 {Ms(batch.P99)} ms, {batch.Errors} errors ({batch.Client})");
File.Delete(singleBodies);
File.Delete(batchBodies);
Row("memory", "service peak RSS during ingest", Mib(Math.Max(singlePeak, batchPeak)));
await ingestNode.DisposeAsync();

// 3. The import command, on the corpus database.
Console.WriteLine("import");
var corpusDb = await DatabaseWithSchemaAsync("corpus");
var corpusFile = Corpus.WriteFile(statements, seed: 4);
var importClock = Stopwatch.StartNew();
var (importExit, importOutput) = await HostProcess.RunAsync(corpusDb, service.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value), "import", corpusFile);
var imported = importClock.Elapsed;
if (importExit != 0) throw new InvalidOperationException($"import failed: {importOutput}");
Row("ingest", $"import command, {statements:N0} statements from JSON Lines", Rate(statements / imported.TotalSeconds), $"({imported.TotalSeconds:N1} s, start-up included)");

// 4. The projections catch up from zero on the imported events.
Console.WriteLine("projections");
await using var node = new ServiceNode(corpusDb, "bench-corpus", service);
var catchUpClock = Stopwatch.StartNew();
await node.StartAsync();
Row("start", $"process start to first 200 ({statements:N0} statements stored)", $"{node.StartedIn.TotalMilliseconds:N0} ms");
using var client = node.CreateClient(TimeSpan.FromMinutes(2));
async Task<(long Position, long HighWaterMark, JsonNode Projection)> PositionsAsync()
{
    var overview = await client.GetFromJsonAsync<JsonObject>("/admin/projections");
    var projection = overview!["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "PositionHistory")!;
    return (projection["position"]!.GetValue<long>(), overview["highWaterMark"]!.GetValue<long>(), projection);
}
var events = await Measure.ScalarAsync<long>(corpusDb, "select count(*) from public.mt_events");
var (_, catchUpPeak) = await Measure.WatchingMemoryAsync(node, async () =>
{
    while ((await PositionsAsync()).Position < events) await Task.Delay(100);
    return true;
});
var catchUp = events / catchUpClock.Elapsed.TotalSeconds;
using var store = DocumentStore.For(options => options.ConfigureStore(corpusDb));
var serializer = store.Options.Serializer();
var rawRead = await Measure.RawReadPerSecondAsync(corpusDb, (type, json) =>
    serializer.FromJson(Configuration.EventNames[type], new MemoryStream(Encoding.UTF8.GetBytes(json))));
Row("limits", "raw sequential read of the stored events, deserialised", Rate(rawRead));
Row("projections", $"catch-up from zero ({events:N0} events, start-up included)", Rate(catchUp));
Row("memory", "service peak RSS during catch-up", Mib(catchUpPeak));

// Corrections and retractions over HTTP, so that views at an earlier instant differ from the present.
var knownAt = DateTimeOffset.UtcNow;
var jpn = await client.GetFromJsonAsync<JsonObject>("/statements?country=JPN&pageSize=100");
var changed = 0;
for (string? cursor = null; changed < (quick ? 500 : 5_000);)
{
    var page = await client.GetFromJsonAsync<JsonObject>($"/statements?country=JPN&pageSize=100{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
    await Parallel.ForEachAsync(page!["items"]!.AsArray().Where((_, i) => i % 5 == 0), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, _) =>
    {
        var id = item!["id"]!.GetValue<Guid>();
        using var response = Interlocked.Increment(ref changed) % 5 == 0
            ? await client.PostAsJsonAsync($"/statements/{id}/retraction", new { reason = "misattributed (synthetic)" })
            : await client.PostAsJsonAsync($"/statements/{id}/corrections", new { expectedVersion = 1, reason = "re-coded (synthetic)", stance = "concern" });
    });
    cursor = page["next"]?.GetValue<string>();
    if (cursor is null) break;
}
_ = jpn;
while ((await PositionsAsync()) is var p && p.Position < p.HighWaterMark) await Task.Delay(100);

// 5. Reads at a steady rate, at the corpus's full size.
Console.WriteLine("reads");
var asOf = "2012-06-30";
var at = Uri.EscapeDataString(knownAt.ToString("O"));
var busiest = Corpus.BigCountryTopics[0];
var partner = Corpus.CountryCodes[1];
(string Name, string Url)[] reads =
[
    ("country summary (JPN, 20 topics)", "/countries/JPN/positions"),
    ("a topic's latest page (JPN)", $"/countries/JPN/positions/{busiest}"),
    ("topic overview", $"/topics/{busiest}/positions"),
    ("pairwise alignment", $"/countries/JPN/alignment/{partner}"),
    ("topic alignment", $"/topics/{busiest}/alignment"),
    ("statement list, page of 20 (JPN)", "/statements?country=JPN"),
    ("statement list, page of 20", "/statements"),
];
var (_, readPeak) = await Measure.WatchingMemoryAsync(node, async () =>
{
    foreach (var (name, url) in reads)
    {
        foreach (var (variant, suffix) in new[] { ("", ""), (" asOf", $"asOf={asOf}"), (" knownAt", $"knownAt={at}") })
        {
            if (url.StartsWith("/statements") && suffix.Length > 0) continue;
            var full = suffix.Length == 0 ? url : $"{url}{(url.Contains('?') ? "&" : "?")}{suffix}";
            // Read from the tables (Cache-Control: no-cache), then as clients repeating a read are answered: a position
            // read's answer is kept and given again while it holds (the note's figures).
            var (latency, bytes) = await Measure.SteadyAsync(client, full, perSecond: 20, readPhase, afresh: true);
            var kept = "";
            if (!url.StartsWith("/statements"))
            {
                var (again, _) = await Measure.SteadyAsync(client, full, perSecond: 20, readPhase);
                kept = $"; repeated, kept: p50 {Ms(again.Percentile(50))} ms, p99 {Ms(again.Percentile(99))} ms";
            }
            Row("reads", name + variant, $"p50 {Ms(latency.Percentile(50))} ms, p99 {Ms(latency.Percentile(99))} ms",
                $"{bytes / 1024.0:N1} KiB{(latency.Errors > 0 ? $", {latency.Errors} errors" : "")}{kept}");
        }
    }
    return true;
});
Row("memory", "service peak RSS during reads", Mib(readPeak));

// 6. Rebuilds, beside the live read models.
Console.WriteLine("rebuilds");
var rebuildRates = new Dictionary<string, double>();
foreach (var projection in new[] { "PositionHistory", "Statement" })
{
    var total = await Measure.ScalarAsync<long>(corpusDb, "select count(*) from public.mt_events");
    var clock = Stopwatch.StartNew();
    (await client.PostAsync($"/admin/projections/{projection}/rebuild", null)).EnsureSuccessStatusCode();
    while (true)
    {
        await Task.Delay(200);
        var overview = await client.GetFromJsonAsync<JsonObject>("/admin/projections");
        var status = overview!["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == projection)!["lastRebuild"]?["status"]?.GetValue<string>();
        if (status == "completed") break;
        if (status == "failed") throw new InvalidOperationException($"the {projection} rebuild failed");
    }
    rebuildRates[projection] = total / clock.Elapsed.TotalSeconds;
    Row("projections", $"rebuild of {projection} ({total:N0} events)", Rate(rebuildRates[projection]), $"({clock.Elapsed.TotalSeconds:N1} s)");
}
Row("memory", "service peak RSS over its life (VmHWM)", Mib(node.PeakResidentBytes() ?? 0));

// The table, with the machine and the ratios the targets are set in.
var postgres = await Measure.ScalarAsync<string>(limitsDb, "show server_version");
var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
var report = new StringBuilder();
report.AppendLine($"Machine: {Environment.ProcessorCount} cores, {long.Parse(memory) / 1024 / 1024} GiB, {RuntimeInformation.OSDescription.Trim()}, " +
                  $"PostgreSQL {postgres} (fsync on, one cluster on the same machine), .NET {Environment.Version}; {statements:N0} statements{(quick ? " (--quick)" : "")}.");
report.AppendLine();
report.AppendLine("| section | measured | figure | note |");
report.AppendLine("|---|---|---|---|");
foreach (var (section, what, figure, note) in rows) report.AppendLine($"| {section} | {what} | {figure} | {note} |");
report.AppendLine();
report.AppendLine("| ratio | measured | target |");
report.AppendLine("|---|---|---|");
report.AppendLine($"| single POST / raw INSERT | {single.PerSecond / rawInsert:P0} | at least 40% |");
report.AppendLine($"| batch / raw COPY | {batch.PerSecond / rawCopy:P0} | at least 25% |");
report.AppendLine($"| import / raw COPY | {statements / imported.TotalSeconds / rawCopy:P0} | at least 25% |");
report.AppendLine($"| catch-up / raw read | {catchUp / rawRead:P0} | at least 30% |");
foreach (var (projection, rate) in rebuildRates) report.AppendLine($"| rebuild of {projection} / raw read | {rate / rawRead:P0} | at least 30% |");
Console.WriteLine();
Console.WriteLine(report);
