using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

public class ConcurrencyTests(TestDatabase database, ITestOutputHelper output)
{
    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task of_fifty_concurrent_corrections_from_one_version_exactly_one_succeeds()
    {
        // Stops the load loops when the test's time bound passes.
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("concurrency");
        var store = new Store(connectionString);
        await using var node = new ServiceNode(connectionString, "concurrency");
        await node.StartAsync();
        using var client = node.CreateClient();
        var recorded = await client.PostAsJsonAsync("/statements", StatementBodies.Valid(), cancellation);
        var id = (await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var correction = new JsonObject { ["expectedVersion"] = 1, ["reason"] = $"analyst {i}", ["position"] = $"opposes proposal {i}" };
            using var response = await client.PostAsJsonAsync($"/statements/{id}/corrections", correction, cancellation);
            return (Status: (int)response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToArray();
        start.Set();
        var answers = await Task.WhenAll(attempts);
        var events = await store.ScalarAsync<long>($"select count(*) from public.mt_events where stream_id = '{id}'");
        var allEvents = await store.ScalarAsync<long>("select count(*) from public.mt_events");
        var conflicts = answers.Where(a => a.Status == 409).ToArray();

        Figures.Print(output, "concurrency: 50 corrections of one statement from version 1",
            ("succeeded (200)", answers.Count(a => a.Status == 200)), ("refused (409)", conflicts.Length),
            ("other answers", answers.Count(a => a.Status is not (200 or 409))), ("events on the stream", events),
            ("events in the store (no filler from failed writes)", allEvents));

        answers.Count(a => a.Status == 200).ShouldBe(1);
        conflicts.Length.ShouldBe(49);
        conflicts.ShouldAllBe(c => c.Body.Contains("\"currentVersion\":2"));
        events.ShouldBe(2);
        allEvents.ShouldBe(2);
    }
}
