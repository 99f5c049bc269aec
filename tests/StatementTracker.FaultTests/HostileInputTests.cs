using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

public class HostileInputTests(TestDatabase database, ITestOutputHelper output)
{
    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task thousands_of_malformed_and_hostile_requests_get_4xx_problems_and_write_nothing()
    {
        // Stops the load loops when the test's time bound passes.
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("hostile");
        var store = new Store(connectionString);
        await using var node = new ServiceNode(connectionString, "hostile");
        await node.StartAsync();
        using var setup = node.CreateClient();
        var created = await setup.PostAsync("/statements", new StringContent(StatementBodies.Valid().ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
        var existing = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        var eventsBefore = await store.ScalarAsync<long>("select count(*) from public.mt_events");

        var requests = HostileRequests.Generate(existing);
        var answers = new ConcurrentBag<(HostileRequest Request, int Status, string? MediaType, string Body)>();
        using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation }, async (request, cancellation) =>
        {
            using var message = new HttpRequestMessage(request.Method, request.Path);
            if (request.Body is not null)
            {
                message.Content = new ByteArrayContent(request.Body);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
            if (request.ApiKey is not null) message.Headers.TryAddWithoutValidation("X-Api-Key", request.ApiKey);
            try
            {
                using var response = await client.SendAsync(message, cancellation);
                answers.Add((request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(cancellation)));
            }
            catch (HttpRequestException ex)
            {
                answers.Add((request, 0, null, ex.Message));
            }
        });
        var eventsAfter = await store.ScalarAsync<long>("select count(*) from public.mt_events");

        var all = answers.ToArray();
        var serverErrors = all.Where(a => a.Status >= 500 || a.Status == 0).ToArray();
        var notProblems = all.Where(a => a.Status is < 400 or >= 500 || a.MediaType != "application/problem+json").ToArray();
        var leaks = all.Where(a => new[] { "   at ", "Exception", "Npgsql", "Host=", "mt_events", "SELECT " }.Any(leak => a.Body.Contains(leak, StringComparison.Ordinal))).ToArray();
        Figures.Print(output, "hostile input",
            [("requests", all.Length), ("5xx or no answer", serverErrors.Length), ("not a 4xx problem", notProblems.Length),
             ("bodies leaking internals", leaks.Length), ("events written", eventsAfter - eventsBefore),
             .. all.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => ($"answered {g.Key}", (object)g.Count())),
             .. all.GroupBy(a => a.Request.Kind).OrderBy(g => g.Key).Select(g => ($"kind: {g.Key}", (object)g.Count()))]);
        foreach (var a in notProblems.Concat(leaks).Take(10)) output.WriteLine($"   NOT A 4xx PROBLEM: {a.Request.Kind} {a.Request.Method} {a.Request.Path[..Math.Min(120, a.Request.Path.Length)]} -> {a.Status} {a.MediaType} {a.Body[..Math.Min(200, a.Body.Length)]}");

        all.Length.ShouldBeGreaterThanOrEqualTo(2000);
        serverErrors.ShouldBeEmpty();
        notProblems.ShouldBeEmpty();
        leaks.ShouldBeEmpty();
        eventsAfter.ShouldBe(eventsBefore);
    }
}
