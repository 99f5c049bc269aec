using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Importing;
using StatementTracker.Tests.Importing;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

[Collection(ApiCollection.Name)]
public class HttpImportTests(AppFixture app)
{
    private async Task<JsonNode> WaitForEndAsync(string location)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var job = await app.Host.GetJsonAsync(location);
            if (job["state"]!.GetValue<string>() is "completed" or "failed") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The import at {location} did not end within 90 s: {job}");
            await Task.Delay(100);
        }
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task a_file_posted_to_imports_answers_202_and_runs_as_a_job_whose_summary_and_rejects_can_be_read()
    {
        var id = Guid.NewGuid().ToString("N");
        var file = string.Join('\n',
            DatasetRows.IcewsHeader,
            DatasetRows.Icews(id: $"{id}-1"),
            DatasetRows.Icews(id: $"{id}-2", code: "190"),
            DatasetRows.Icews(id: $"{id}-3", date: "someday"));

        var (status, body, response) = await app.Host.SendAsync(HttpMethod.Post, "/imports?format=icews", file, "text/tab-separated-values");

        status.ShouldBe(202);
        var location = response.Headers.Location!.ToString();
        location.ShouldBe($"/imports/{body!["id"]}");
        var job = await WaitForEndAsync(location);
        job["state"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        (job["read"]!.GetValue<long>(), job["imported"]!.GetValue<long>(), job["rejected"]!.GetValue<long>()).ShouldBe((3, 1, 1));
        job["skipped"]!["not verbal"]!.GetValue<long>().ShouldBe(1);
        job["progress"]!.GetValue<double>().ShouldBe(1);
        (await app.Host.GetJsonAsync($"/statements/{NameBasedGuid.ForRecord("icews", $"{id}-1")}"))["origin"]!["dataset"]!.GetValue<string>().ShouldBe("icews");
        var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Editor);
        var rejects = (await client.GetStringAsync($"{location}/rejects")).TrimEnd('\n').Split('\n');
        JsonNode.Parse(rejects.Single())!["row"]!.GetValue<long>().ShouldBe(4);
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task an_import_of_a_file_not_of_its_format_fails_saying_what_was_expected()
    {
        var (status, _, response) = await app.Host.SendAsync(HttpMethod.Post, "/imports?format=icews", "{\"not\": \"icews\"}", "application/x-ndjson");

        status.ShouldBe(202);
        var job = await WaitForEndAsync(response.Headers.Location!.ToString());
        job["state"]!.GetValue<string>().ShouldBe("failed");
        job["error"]!.GetValue<string>().ShouldContain("Event ID");
    }

    [BoundedFact]
    public async Task an_unknown_or_missing_format_an_empty_body_or_a_reader_answer_4xx_and_start_nothing()
    {
        var (unknown, problem, _) = await app.Host.SendAsync(HttpMethod.Post, "/imports?format=csv", "a\tb", "text/plain");
        unknown.ShouldBe(400);
        problem!["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["format"]);
        (await app.Host.SendAsync(HttpMethod.Post, "/imports", "a\tb", "text/plain")).Status.ShouldBe(400);
        (await app.Host.SendAsync(HttpMethod.Post, "/imports?format=gdelt", "", "text/plain")).Status.ShouldBe(400);
        (await app.Host.SendAsync(HttpMethod.Post, "/imports?format=gdelt", "x", "text/plain", apiKey: TestKeys.Reader)).Status.ShouldBe(403);
        (await app.Host.SendAsync(HttpMethod.Get, $"/imports/{Guid.NewGuid()}")).Status.ShouldBe(404);
    }
}
