using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace StatementTracker.BrowserTests;

/// <summary>
/// The service as a real process on a seeded database, and one headless Chromium, shared by the browser
/// tests. Besides the seed statements, Japan gets two statements on a topic of its own, one dated to the
/// year and one to the month, with a shift between them, a source with a URL and a correction: partial
/// dates, shift rings, links and correction histories have data to show.
/// A second node on the same database requires the reader role for reads.
/// </summary>
public sealed class TimelineSite(TestDatabase database) : IAsyncLifetime
{
    public const string ShiftTopic = "arctic-shipping-routes";
    public const string SourceUrl = "https://example.org/northern-sea-route";
    public const string OriginalPosition = "opposes restrictions on the northern sea route";
    public const string CorrectedPosition = "opposes any restrictions on the northern sea route";
    public const string CorrectionReason = "the first report left out a word";

    private IPlaywright? _playwright;

    public ServiceNode Service { get; private set; } = null!;
    public ServiceNode ReaderOnlyService { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.CreateDatabaseAsync("browser");
        var (exitCode, output) = await HostProcess.RunAsync(connectionString, "seed");
        if (exitCode != 0) throw new InvalidOperationException($"seed failed ({exitCode}): {output}");

        Service = new ServiceNode(connectionString, "timeline");
        await Service.StartAsync();
        await RecordAsync(Invented("2023", "supports opening the northern sea route to all shipping", "support")
            .With("sources", new JsonArray(new JsonObject { ["publisher"] = "Example Daily", ["url"] = SourceUrl, ["publishedOn"] = "2023-03-01" })));
        var opposed = await RecordAsync(Invented("2024-06", OriginalPosition, "oppose"));
        await PostAsync($"/statements/{opposed}/corrections",
            new JsonObject { ["expectedVersion"] = 1, ["reason"] = CorrectionReason, ["position"] = CorrectedPosition });
        // The positions projection runs asynchronously: wait until it has built what the tests look at.
        await WaitForAsync("/countries/JPN/positions/china-russia-relations");
        await WaitForAsync("/topics/china-russia-relations/alignment", body => body.Contains("\"JPN\"") && body.Contains("\"CHN\""));
        await WaitForAsync($"/countries/JPN/positions/{ShiftTopic}/shifts", body => body.Contains("\"oppose\""));
        await WaitForAsync($"/countries/JPN/positions/{ShiftTopic}/history", body => body.Contains(CorrectedPosition));

        ReaderOnlyService = new ServiceNode(connectionString, "timeline-readers", new Dictionary<string, string> { ["Security:ReadsRequireReader"] = "true" });
        await ReaderOnlyService.StartAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        // CI machines are slower than a developer's: give the page time before an expectation fails.
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public Task<BrowserPage> OpenAsync(string hash) => BrowserPage.OpenAsync(Browser, Service.BaseAddress, hash);

    public Task<BrowserPage> OpenReaderOnlyAsync(string hash) => BrowserPage.OpenAsync(Browser, ReaderOnlyService.BaseAddress, hash);

    /// <summary>A statement invented for these tests, by an invented speaker (no real person's words).</summary>
    private static JsonObject Invented(string statedOn, string position, string stance) =>
        StatementBodies.Valid(topic: ShiftTopic, statedOn: statedOn, position: position)
            .With("stance", stance)
            .With("targets", new JsonArray("RUS"))
            .With("speaker", new JsonObject { ["name"] = "Test Spokesperson", ["role"] = "invented for the browser tests" })
            .With("sources", new JsonArray(new JsonObject { ["publisher"] = "Browser test fixture" }));

    /// <summary>Records the statement and answers its id.</summary>
    private async Task<string> RecordAsync(JsonObject statement)
    {
        await PostAsync("/statements", statement);
        return statement["statementId"]!.GetValue<string>();
    }

    private async Task PostAsync(string path, JsonObject body)
    {
        using var client = Service.CreateClient();
        using var response = await client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task WaitForAsync(string path, Func<string, bool>? ready = null)
    {
        using var client = Service.CreateClient(TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var response = await client.GetAsync(path);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.OK && (ready is null || ready(last))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"GET {path} was not ready within 60 s; last answer: {last}; see {Service.LogFile}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (ReaderOnlyService is not null) await ReaderOnlyService.DisposeAsync();
        if (Service is not null) await Service.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TimelineCollection : ICollectionFixture<TimelineSite>
{
    public const string Name = "timeline";
}
