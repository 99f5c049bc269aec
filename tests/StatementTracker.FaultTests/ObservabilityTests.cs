using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

/// <summary>The service as an operator sees it: metrics scraped from <c>/metrics</c>, and JSON logs.</summary>
public class ObservabilityTests(TestDatabase database, ITestOutputHelper output)
{
    /// <summary>Prometheus text exposition: each sample's name with its labels, and its value.</summary>
    private static Dictionary<string, double> ParsePrometheus(string text)
    {
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var split = line.LastIndexOf(' ');
            var key = line[..split];
            // An optional timestamp follows the value.
            var parts = line[(split + 1)..];
            if (key.LastIndexOf('}') is var close && close < key.LastIndexOf(' ') && key.Contains('{'))
            {
                parts = key[(key.LastIndexOf(' ') + 1)..];
                key = key[..key.LastIndexOf(' ')];
            }
            samples[key] = double.Parse(parts, CultureInfo.InvariantCulture);
        }
        return samples;
    }

    private static double Sum(Dictionary<string, double> samples, string name, string? label = null) =>
        samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && (label is null || s.Key.Contains(label)))
            .Sum(s => s.Value);

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task metrics_scraped_on_the_management_port_count_the_writes_and_time_requests_by_route()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var management = FreePort.Next();
        await using var node = new ServiceNode(await database.CreateDatabaseAsync("metrics"), "metrics",
            new Dictionary<string, string> { ["Management:Port"] = management.ToString() });
        await node.StartAsync();
        using var client = node.CreateClient();
        var topic = StatementBodies.UniqueTopic("metrics");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = Guid.CreateVersion7();
            ids.Add(id);
            (await client.PostAsJsonAsync("/statements", StatementBodies.Valid(topic, id: id), cancellation)).EnsureSuccessStatusCode();
        }
        (await client.PostAsJsonAsync($"/statements/{ids[0]}/corrections",
            new JsonObject { ["expectedVersion"] = 1, ["reason"] = "typo", ["quote"] = "corrected words" }, cancellation)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/statements/{ids[1]}/retraction", new JsonObject { ["reason"] = "never said" }, cancellation)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await client.GetAsync($"/countries/JPN/positions/{topic}", cancellation)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "the position to be projected");

        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management}") };
        var text = await scraper.GetStringAsync("/metrics", cancellation);
        var samples = ParsePrometheus(text);
        output.WriteLine(string.Join('\n', samples.Keys.Where(k => k.StartsWith("statementtracker", StringComparison.Ordinal))));

        Sum(samples, "statementtracker_statements_recorded_total").ShouldBe(5);
        Sum(samples, "statementtracker_statements_corrected_total").ShouldBe(1);
        Sum(samples, "statementtracker_statements_retracted_total").ShouldBe(1);
        Sum(samples, "http_server_request_duration_seconds_count", "http_route=\"/statements\"").ShouldBe(5);
        Sum(samples, "http_server_request_duration_seconds_count", "http_response_status_code=\"201\"").ShouldBeGreaterThanOrEqualTo(5);
        text.ShouldContain("statementtracker_events_high_water_mark");
        // The management port also gives the health details, which the service's port keeps for admins.
        JsonNode.Parse(await scraper.GetStringAsync("/health/ready", cancellation))!["checks"]!["projections"].ShouldNotBeNull();
        // With a management port, the service's own port has no scrape endpoint at all.
        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        (await anonymous.GetAsync("/metrics", cancellation)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task json_logs_carry_the_trace_and_span_ids_and_never_a_key_a_token_or_a_password()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("jsonlogs");
        await using var node = new ServiceNode(connectionString, "jsonlogs", new Dictionary<string, string>
        {
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:LogLevel:Default"] = "Information",
        });
        await node.StartAsync();
        using var client = node.CreateClient();
        (await client.PostAsJsonAsync("/statements", StatementBodies.Valid().Without("country"), cancellation)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync("/statements", StatementBodies.Valid(), cancellation)).EnsureSuccessStatusCode();
        using var withToken = new HttpClient { BaseAddress = node.BaseAddress };
        withToken.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0LXNpZ25hdHVyZQ");
        await withToken.GetAsync("/admin/projections", cancellation);
        await node.DisposeAsync();

        var lines = (await File.ReadAllLinesAsync(node.LogFile, cancellation)).Where(l => l.StartsWith('{')).ToArray();
        lines.ShouldNotBeEmpty();
        var entries = lines.Select(l => JsonNode.Parse(l)!).ToArray();
        var requestEntries = entries.Where(e => e["Scopes"]?.AsArray().Any(s => s?["TraceId"] is not null) == true).ToArray();
        requestEntries.ShouldNotBeEmpty("no log entry carries a trace id");
        requestEntries.ShouldAllBe(e => e["Scopes"]!.AsArray().Any(s => s!["SpanId"] != null));
        var all = string.Join('\n', lines);
        all.ShouldNotContain(TestKeys.Editor);
        all.ShouldNotContain("c2VjcmV0LXNpZ25hdHVyZQ");
        var password = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password;
        if (!string.IsNullOrEmpty(password)) all.ShouldNotContain(password);
    }
}
