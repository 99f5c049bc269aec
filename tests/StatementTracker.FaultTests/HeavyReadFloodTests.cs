using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Shouldly;

namespace StatementTracker.FaultTests;

/// <summary>
/// 100,000 statements (JPN with 60,000), then 64 anonymous clients repeating the costliest reads while 4
/// writers post and 4 readers (with a key of their own) make light reads: the costly reads share a concurrency limit and a time limit,
/// so writes and light reads go on answering, nothing answers 5xx, and memory stays bounded.
/// </summary>
public class HeavyReadFloodTests(TestDatabase database, ITestOutputHelper output)
{
    private const int Statements = 100_000;
    private static readonly TimeSpan Flood = TimeSpan.FromSeconds(20);

    private static IEnumerable<string> Corpus()
    {
        string[] countries = ["KOR", "CHN", "USA", "RUS", "DEU", "FRA", "GBR", "IND"];
        string[] stances = ["support", "oppose", "monitor", "concern", "condemn", "welcome"];
        for (var i = 0; i < Statements; i++)
        {
            var country = i % 10 < 6 ? "JPN" : countries[i % countries.Length];
            yield return StatementBodies.Valid($"topic-{i % 20}", country, $"{2000 + i % 24}-{1 + i % 12:D2}-{1 + i % 28:D2}",
                position: $"position {i % 97}", id: Guid.CreateVersion7()).With("stance", stances[i % stances.Length]).ToJsonString();
        }
    }

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task sixty_four_anonymous_clients_repeating_the_costliest_reads_leave_writes_and_light_reads_answering()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("heavyreads");
        var file = Path.Combine(Path.GetTempPath(), $"heavy-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, Corpus(), cancellation);
        var (exitCode, importOutput) = await HostProcess.RunAsync(connectionString, "import", file);
        exitCode.ShouldBe(0, importOutput);
        File.Delete(file);

        await using var node = new ServiceNode(connectionString, "heavyreads");
        await node.StartAsync();
        using var editor = node.CreateClient(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () =>
            (await editor.GetAsync("/health/ready", cancellation)).IsSuccessStatusCode, TimeSpan.FromSeconds(120), "the projections to catch up");

        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var reader = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        reader.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Reader);
        string[] costly =
        [
            "/countries/JPN/positions?asOf=2010", "/countries/JPN/positions?knownAt=2020-01-01T00:00:00Z",
            "/countries/JPN/alignment/KOR?asOf=2015", "/countries/JPN/alignment", "/statements?country=JPN&count=exact",
            "/topics/topic-3/alignment?asOf=2012",
        ];
        var heavy = new ConcurrentDictionary<int, int>();
        var writes = new ConcurrentBag<(int Status, double Ms)>();
        var light = new ConcurrentBag<(int Status, double Ms)>();
        var clock = Stopwatch.StartNew();
        bool Flooding() => clock.Elapsed < Flood;

        var flooders = Enumerable.Range(0, 64).Select(client => Task.Run(async () =>
        {
            for (var i = client; Flooding(); i++)
            {
                using var response = await anonymous.GetAsync(costly[i % costly.Length], cancellation);
                heavy.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            }
        }, cancellation));
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Flooding())
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await editor.PostAsJsonAsync("/statements", StatementBodies.Valid("flood-writes"), cancellation);
                writes.Add(((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
        }, cancellation));
        var lightReaders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Flooding())
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await reader.GetAsync("/countries/JPN/positions/topic-3?historyLimit=20", cancellation);
                light.Add(((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
        }, cancellation));
        await Task.WhenAll(flooders.Concat(writers).Concat(lightReaders));

        static double P99(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1];
        }
        var peak = node.PeakResidentBytes() ?? 0;
        Figures.Print(output, $"heavy reads: 64 anonymous clients repeating costly reads for {Flood.TotalSeconds:F0} s on {Statements:N0} statements",
            ("costly reads answered 200 / 429 / other", $"{heavy.GetValueOrDefault(200)} / {heavy.GetValueOrDefault(429)} / {heavy.Where(h => h.Key is not (200 or 429)).Sum(h => h.Value)}"),
            ("writes (4 clients), p99", $"{writes.Count}, {P99(writes.Select(w => w.Ms)):F0} ms"),
            ("light reads (4 clients), p99", $"{light.Count}, {P99(light.Select(l => l.Ms)):F0} ms"),
            ("5xx answers", heavy.Where(h => h.Key >= 500).Sum(h => h.Value) + writes.Count(w => w.Status >= 500) + light.Count(l => l.Status >= 500)),
            ("service peak RSS", $"{peak / 1024 / 1024} MiB"));

        heavy.Keys.ShouldAllBe(status => status == 200 || status == 429);
        heavy.GetValueOrDefault(200).ShouldBeGreaterThan(0, "no costly read was answered");
        writes.ShouldNotBeEmpty();
        writes.ShouldAllBe(w => w.Status == 201);
        light.ShouldNotBeEmpty();
        light.ShouldAllBe(l => l.Status == 200);
        P99(writes.Select(w => w.Ms)).ShouldBeLessThan(2000);
        P99(light.Select(l => l.Ms)).ShouldBeLessThan(2000);
        peak.ShouldBeLessThan(1024L * 1024 * 1024);
    }
}
