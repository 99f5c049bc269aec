using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Admin;

namespace StatementTracker.Tests.Api;

/// <summary>The host's <c>import</c> command, run as a real process against a database of its own.</summary>
public class ImportCommandTests(TestDatabase database)
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"statementtracker-import-{Guid.NewGuid():N}");

    private static string WriteFile(string name, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static IEnumerable<string> Statements(int count, string topic) =>
        Enumerable.Range(0, count).Select(i => StatementBodies.Valid(topic, i % 2 == 0 ? "JPN" : "KOR", $"2024-{1 + i % 12:D2}-{1 + i % 28:D2}",
            position: i % 3 == 0 ? "opposes the drills" : "will closely monitor the drills").ToJsonString());

    private static Task<long> CountAsync(string connectionString, string sql) => HostProcess.CountAsync(connectionString, sql);

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task an_import_loads_every_valid_line_rejects_the_others_with_their_row_and_a_second_run_adds_nothing()
    {
        var connectionString = await database.CreateDatabaseAsync("import");
        var topic = StatementBodies.UniqueTopic("imported");
        var valid = Statements(120, topic).ToList();
        var lines = new List<string>(valid);
        lines.Insert(10, StatementBodies.Valid(topic).Without("country").ToJsonString()); // row 11
        lines.Insert(50, "{not json"); // row 51
        lines.Insert(60, ""); // blank lines are skipped
        var withoutId = StatementBodies.Valid(topic, "JPN", "2023-05-05").Without("statementId").ToJsonString();
        lines.Add(withoutId);
        var path = WriteFile("statements.jsonl", lines);

        var (exitCode, output) = await HostProcess.RunAsync(connectionString, "import", path);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("read 123, imported 121, already present 0, skipped 0, rejected 2");
        (await CountAsync(connectionString, "select count(*) from public.mt_events")).ShouldBe(121);
        (await CountAsync(connectionString, "select count(*) from public.mt_doc_statement")).ShouldBe(121);
        (await CountAsync(connectionString, "select count(*) from public.st_statement_list")).ShouldBe(121);
        var rejects = File.ReadAllLines(path + ".rejects.jsonl").Select(l => JsonNode.Parse(l)!).ToArray();
        rejects.Select(r => r["row"]!.GetValue<long>()).ShouldBe([11, 51]);
        rejects[0]["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["country"]);
        rejects[1]["text"]!.GetValue<string>().ShouldBe("{not json");

        var (again, secondOutput) = await HostProcess.RunAsync(connectionString, "import", path);
        again.ShouldBe(0, secondOutput);
        secondOutput.ShouldContain("imported 0, already present 121");
        (await CountAsync(connectionString, "select count(*) from public.mt_events")).ShouldBe(121);
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task an_import_killed_midway_completes_when_run_again_without_duplicates()
    {
        var connectionString = await database.CreateDatabaseAsync("import_kill");
        var path = WriteFile("big.jsonl", Statements(60_000, StatementBodies.UniqueTopic("killed")));
        var options = new Dictionary<string, string>();

        using (var first = HostProcess.Start(connectionString, options, "import", path, "--chunk", "2000"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (await CountAsync(connectionString, "select count(*) from pg_tables where tablename = 'mt_events'") == 0
                   || await CountAsync(connectionString, "select count(*) from public.mt_events") < 4000)
            {
                first.HasExited.ShouldBeFalse("the import ended before it could be killed");
                DateTime.UtcNow.ShouldBeLessThan(deadline, "the import never got going");
                await Task.Delay(50);
            }
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var afterKill = await CountAsync(connectionString, "select count(*) from public.mt_events");

        var (exitCode, output) = await HostProcess.RunAsync(connectionString, "import", path);

        exitCode.ShouldBe(0, output);
        afterKill.ShouldBeLessThan(60_000, "the kill came midway");
        output.ShouldContain($"imported {60_000 - afterKill:N0}, already present {afterKill:N0}");
        (await CountAsync(connectionString, "select count(*) from public.mt_events")).ShouldBe(60_000);
        (await CountAsync(connectionString, "select count(*) from (select stream_id from public.mt_events group by stream_id having count(*) > 1) d")).ShouldBe(0);
        (await CountAsync(connectionString, "select count(*) from public.mt_doc_statement")).ShouldBe(60_000);
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task an_import_reads_gzip_and_standard_forms_and_refuses_a_file_of_another_format_at_once()
    {
        var connectionString = await database.CreateDatabaseAsync("import_forms");
        var topic = StatementBodies.UniqueTopic("gz");
        var plain = WriteFile("plain.jsonl", Statements(10, topic));
        var gzipped = Path.Combine(Folder, "statements.jsonl.gz");
        await using (var file = File.Create(gzipped))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var writer = new StreamWriter(gzip))
        {
            foreach (var line in Statements(7, topic)) await writer.WriteLineAsync(line);
        }
        var csv = WriteFile("events.csv", ["Event ID,Event Date,Source Name", "1,2024-01-01,Japan"]);

        var (gzExit, gzOutput) = await HostProcess.RunAsync(connectionString, "import", gzipped);
        gzExit.ShouldBe(0, gzOutput);
        gzOutput.ShouldContain("read 7, imported 7");

        var (csvExit, csvOutput) = await HostProcess.RunAsync(connectionString, "import", csv, "--format", "ours");
        csvExit.ShouldNotBe(0);
        csvOutput.ShouldContain("Not a ours file");
        csvOutput.ShouldContain("Event ID,Event Date");

        var (unknownExit, unknownOutput) = await HostProcess.RunAsync(connectionString, "import", plain, "--format", "xml");
        unknownExit.ShouldNotBe(0);
        unknownOutput.ShouldContain("Unknown format 'xml'");
        (await CountAsync(connectionString, "select count(*) from public.mt_events")).ShouldBe(7);
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task an_imported_line_whose_id_exists_with_other_content_is_rejected_and_the_rest_imported()
    {
        var connectionString = await database.CreateDatabaseAsync("import_conflict");
        var topic = StatementBodies.UniqueTopic("conflict");
        var statement = StatementBodies.Valid(topic);
        await HostProcess.RunAsync(connectionString, "import", WriteFile("first.jsonl", [statement.ToJsonString()]));
        var changed = statement.With("position", "opposes it after all").ToJsonString();
        var path = WriteFile("second.jsonl", [changed, .. Statements(3, topic)]);

        var (exitCode, output) = await HostProcess.RunAsync(connectionString, "import", path);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("read 4, imported 3, already present 0, skipped 0, rejected 1");
        var reject = JsonNode.Parse(File.ReadAllLines(path + ".rejects.jsonl").Single())!;
        reject["row"]!.GetValue<long>().ShouldBe(1);
        reject["errors"]!["statementId"]![0]!.GetValue<string>().ShouldContain("different content");
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task chunks_load_two_at_once_yet_the_earlier_row_of_an_id_always_wins()
    {
        var connectionString = await database.CreateDatabaseAsync("import_order");
        var topic = StatementBodies.UniqueTopic("order");
        // Chunks of two: [first version of X, filler] then [other version of X, filler], 40 times over. The second
        // chunk of each pair holds an id of the first, so it must not load beside it: its X is the one rejected.
        var lines = new List<string>();
        var fillers = Statements(80, topic).ToArray();
        for (var i = 0; i < 40; i++)
        {
            var first = StatementBodies.Valid(topic, "JPN", $"2020-01-{1 + i % 28:D2}");
            lines.Add(first.ToJsonString());
            lines.Add(fillers[2 * i]);
            lines.Add(first.With("position", "opposes it after all").ToJsonString());
            lines.Add(fillers[2 * i + 1]);
        }
        var path = WriteFile("ordered.jsonl", lines);

        var (exitCode, output) = await HostProcess.RunAsync(connectionString, "import", path, "--chunk", "2");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("read 160, imported 120, already present 0, skipped 0, rejected 40");
        var rejected = File.ReadAllLines(path + ".rejects.jsonl").Select(l => JsonNode.Parse(l)!["row"]!.GetValue<long>()).Order();
        rejected.ShouldBe(Enumerable.Range(0, 40).Select(i => 4L * i + 3));
        (await CountAsync(connectionString, "select count(*) from public.mt_doc_statement where data ->> 'position' = 'opposes it after all'")).ShouldBe(0);
        (await CountAsync(connectionString, "select count(*) from public.mt_events")).ShouldBe(120);
    }

    /// <summary>
    /// A node started over a store an import filled catches its positions up by one rebuild through every event. Its
    /// daemon records the store's high-water mark only a few seconds after the start: a catch-up started before
    /// that went through no event (or found no agent to pause) and had to start again, or never did.
    /// </summary>
    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task a_node_started_over_an_imported_store_catches_up_by_one_rebuild_through_every_event()
    {
        const int Count = 20_000;
        var connectionString = await database.CreateDatabaseAsync("import_start");
        var topic = StatementBodies.UniqueTopic("started");
        var imported = await HostProcess.RunAsync(connectionString, "import", WriteFile("started.jsonl", Statements(Count, topic)));
        imported.ExitCode.ShouldBe(0, imported.Output);

        await using var node = new ServiceNode(connectionString, "import-start",
            new Dictionary<string, string> { ["Projections:BulkCatchUpAfter"] = "1000", ["Projections:CheckSeconds"] = "0.2" });
        await node.StartAsync();
        using var client = node.CreateClient();
        var clock = Stopwatch.StartNew();
        JsonNode positions;
        while ((positions = await PositionHistoryAsync(client))["position"]!.GetValue<long>() < Count
               || positions["lastRebuild"]?["status"]?.GetValue<string>() is null or ProjectionRebuilds.Rebuilding)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90), positions.ToJsonString());
            await Task.Delay(100);
        }

        var rebuild = positions["lastRebuild"]!;
        rebuild["requestedBy"]!.GetValue<string>().ShouldBe(BulkCatchUp.RequestedBy, positions.ToJsonString());
        rebuild["status"]!.GetValue<string>().ShouldBe("completed", positions.ToJsonString());
        rebuild["total"]!.GetValue<long>().ShouldBe(Count);
        var log = await File.ReadAllTextAsync(node.LogFile);
        System.Text.RegularExpressions.Regex.Count(log, "Rebuilding projection PositionHistory").ShouldBe(1, log);
        var japan = await client.GetFromJsonAsync<JsonObject>($"/countries/JPN/positions/{topic}");
        japan!["historyTotal"]!.GetValue<int>().ShouldBe(Count / 2);
    }

    private static async Task<JsonNode> PositionHistoryAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/admin/projections"))!["projections"]!.AsArray()
        .Single(p => p!["name"]!.GetValue<string>() == "PositionHistory")!;
}
