using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;

namespace StatementTracker.FaultTests;

public partial class HostileInputTests(TestDatabase database, ITestOutputHelper output)
{
    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task thousands_of_malformed_and_hostile_requests_get_4xx_problems_and_write_nothing()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("hostile");
        var store = new Store(connectionString);
        await using var node = new ServiceNode(connectionString, "hostile");
        await node.StartAsync();
        using var setup = node.CreateClient();
        var created = await setup.PostAsync("/statements", Json(StatementBodies.Valid().ToJsonString()), cancellation);
        created.EnsureSuccessStatusCode();
        var existing = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        var eventsBefore = await store.ScalarAsync<long>("select count(*) from public.mt_events");

        var requests = HostileRequests.Generate(existing);
        var answers = new ConcurrentBag<Answer>();
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
                answers.Add(new(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(cancellation)));
            }
            catch (HttpRequestException ex)
            {
                answers.Add(new(request, 0, null, ex.Message));
            }
        });
        var eventsAfter = await store.ScalarAsync<long>("select count(*) from public.mt_events");

        var all = answers.ToArray();
        var serverErrors = all.Where(a => a.Status >= 500 || a.Status == 0).ToArray();
        var notProblems = all.Where(a => a.Status is < 400 or >= 500 || a.MediaType != "application/problem+json").ToArray();
        var unexpected = all.Where(a => a.Status != a.Request.Expected).ToArray();
        var echoes = all.Where(a => Echoes(a.Body)).ToArray();
        var leaks = all.Where(a => new[] { "   at ", "Exception", "Npgsql", "Host=", "mt_events", "SELECT " }.Any(leak => a.Body.Contains(leak, StringComparison.Ordinal))).ToArray();
        Figures.Print(output, "hostile input",
            [("requests", all.Length), ("5xx or no answer", serverErrors.Length), ("not a 4xx problem", notProblems.Length),
             ("bodies leaking internals", leaks.Length), ("answers echoing markup or long input", echoes.Length),
             ("answered other than expected", unexpected.Length), ("events written", eventsAfter - eventsBefore),
             .. all.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => ($"answered {g.Key}", (object)g.Count())),
             .. all.GroupBy(a => a.Request.Kind).OrderBy(g => g.Key).Select(g => ($"kind: {g.Key}", (object)g.Count()))]);
        foreach (var a in unexpected.Concat(notProblems).Concat(leaks).Concat(echoes).Take(40))
            output.WriteLine($"   WRONG: {a.Request.Kind} {a.Request.Method} {a.Request.Path[..Math.Min(120, a.Request.Path.Length)]} expected {a.Request.Expected} -> {a.Status} {a.MediaType} {a.Body[..Math.Min(200, a.Body.Length)]}");

        all.Length.ShouldBe(requests.Count);
        unexpected.ShouldBeEmpty();
        echoes.ShouldBeEmpty();
        serverErrors.ShouldBeEmpty();
        notProblems.ShouldBeEmpty();
        leaks.ShouldBeEmpty();
        eventsAfter.ShouldBe(eventsBefore);
        // The variants were refused for what they changed: the body they all start from is recorded.
        using var baseRecorded = await setup.PostAsync("/statements", Json(HostileRequests.Base().ToJsonString()), cancellation);
        ((int)baseRecorded.StatusCode).ShouldBe(201, await baseRecorded.Content.ReadAsStringAsync(cancellation));
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private sealed record Answer(HostileRequest Request, int Status, string? MediaType, string Body);

    /// <summary>Markup a browser would run, or more of a long input than the 64 characters an answer may quote.</summary>
    private static bool Echoes(string body) =>
        new[] { "<script", "<img", "<svg", "onerror=", "javascript:" }.Any(markup => body.Contains(markup, StringComparison.OrdinalIgnoreCase))
        || LongRun().IsMatch(body);

    [GeneratedRegex(@"(\p{L})\1{64}")]
    private static partial Regex LongRun();
}
