using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

public class ConcurrencyTests(TestDatabase database, ITestOutputHelper output)
{
    private const int Corrections = 50;

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task of_fifty_concurrent_corrections_from_one_version_exactly_one_succeeds()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("concurrency");
        var store = new Store(connectionString);
        await using var node = new ServiceNode(connectionString, "concurrency");
        await node.StartAsync();
        using var client = node.CreateClient();
        var recorded = await client.PostAsJsonAsync("/statements", StatementBodies.Valid(), cancellation);
        var id = (await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        // Warm one pooled connection per request, so the burst below waits on no TCP handshakes.
        await Task.WhenAll(Enumerable.Range(0, Corrections).Select(_ => client.GetAsync("/health/live", cancellation)));
        var overlap = new RequestOverlap();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, Corrections).Select(async i =>
        {
            await gate.Task;
            var correction = new JsonObject { ["expectedVersion"] = 1, ["reason"] = $"analyst {i}", ["position"] = $"opposes proposal {i}" };
            return await overlap.TimeAsync(async () =>
            {
                using var response = await client.PostAsJsonAsync($"/statements/{id}/corrections", correction, cancellation);
                return (Status: (int)response.StatusCode, Body: await response.Content.ReadAsStringAsync(cancellation));
            });
        }).ToArray();
        gate.SetResult();
        var answers = await Task.WhenAll(attempts);
        var events = await store.ScalarAsync<long>($"select count(*) from public.mt_events where stream_id = '{id}'");
        var allEvents = await store.ScalarAsync<long>("select count(*) from public.mt_events");
        var conflicts = answers.Where(a => a.Status == 409).ToArray();

        Figures.Print(output, "concurrency: 50 corrections of one statement from version 1",
            ("succeeded (200)", answers.Count(a => a.Status == 200)), ("refused (409)", conflicts.Length),
            ("other answers", answers.Count(a => a.Status is not (200 or 409))), ("events on the stream", events),
            ("events in the store (no filler from failed writes)", allEvents), ("overlap", overlap));

        overlap.AllSentBeforeFirstAnswer.ShouldBeTrue($"all {Corrections} corrections were in flight at once: {overlap}");

        answers.Count(a => a.Status == 200).ShouldBe(1);
        conflicts.Length.ShouldBe(Corrections - 1);
        conflicts.ShouldAllBe(c => c.Body.Contains("\"currentVersion\":2"));
        events.ShouldBe(2);
        allEvents.ShouldBe(2);
    }
}
