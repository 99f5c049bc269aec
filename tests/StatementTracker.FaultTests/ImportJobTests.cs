using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

public class ImportJobTests(TestDatabase database, ITestOutputHelper output)
{
    private const int Rows = 60_000;

    /// <summary>GDELT 2.0 rows written for the test: a government speaking to another country, each a statement.</summary>
    private static string GdeltFile()
    {
        var file = new StringBuilder();
        for (var i = 0; i < Rows; i++)
        {
            var cells = new string[61];
            Array.Fill(cells, "");
            (cells[0], cells[1], cells[6], cells[7], cells[16], cells[17], cells[26]) =
                ($"{900_000_000 + i}", $"2022{1 + i % 12:D2}{1 + i % 28:D2}", "JAPAN", "JPN", "KOREA", i % 2 == 0 ? "KOR" : "USA", i % 3 == 0 ? "111" : "036");
            cells[60] = $"https://news.example.test/{i}";
            file.Append(string.Join('\t', cells)).Append('\n');
        }
        return file.ToString();
    }

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task an_import_killed_midway_runs_again_after_the_restart_and_completes_without_duplicates()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("importjob");
        await using var node = new ServiceNode(connectionString, "importjob");
        await node.StartAsync();
        using var client = node.CreateClient(TimeSpan.FromSeconds(60));

        var content = new StringContent(GdeltFile(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/tab-separated-values");
        var posted = await client.PostAsync("/imports?format=gdelt", content, cancellation);
        ((int)posted.StatusCode).ShouldBe(202, await posted.Content.ReadAsStringAsync(cancellation));
        var location = posted.Headers.Location!.ToString();

        async Task<JsonNode> JobAsync() => JsonNode.Parse(await client.GetStringAsync(location, cancellation))!;
        var clock = Stopwatch.StartNew();
        JsonNode job;
        while ((job = await JobAsync())["imported"]!.GetValue<long>() == 0)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), $"the import did not start: {job}");
            await Task.Delay(20, cancellation);
        }
        job["state"]!.GetValue<string>().ShouldBe("running", "the import finished before it could be killed: make the file larger");
        var importedBeforeKill = job["imported"]!.GetValue<long>();
        node.Kill();
        await node.StartAsync();
        using var after = node.CreateClient(TimeSpan.FromSeconds(60));
        async Task<JsonNode> JobAfterAsync() => JsonNode.Parse(await after.GetStringAsync(location, cancellation))!;
        var restarted = clock.Elapsed;
        while ((job = await JobAfterAsync())["state"]!.GetValue<string>() is not ("completed" or "failed"))
        {
            (clock.Elapsed - restarted).ShouldBeLessThan(TimeSpan.FromSeconds(180), $"the import did not complete after the restart: {job}");
            await Task.Delay(200, cancellation);
        }
        var events = await HostProcess.CountAsync(connectionString, "select count(*) from public.mt_events");

        Figures.Print(output, "imports: SIGKILL while an HTTP import runs, then restart",
            ("rows", Rows), ("imported before the kill", importedBeforeKill), ("attempts", job["attempts"]!.GetValue<int>()),
            ("imported / already present in the last run", $"{job["imported"]} / {job["alreadyPresent"]}"), ("events stored", events),
            ("restart to completion", $"{(clock.Elapsed - restarted).TotalSeconds:F1} s"));

        job["state"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        job["attempts"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(2);
        (job["imported"]!.GetValue<long>() + job["alreadyPresent"]!.GetValue<long>()).ShouldBe(Rows);
        job["alreadyPresent"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(importedBeforeKill);
        events.ShouldBe(Rows);
        (await HostProcess.CountAsync(connectionString, "select count(distinct stream_id) from public.mt_events")).ShouldBe(Rows);
    }
}
