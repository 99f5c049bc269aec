using System.Diagnostics;
using System.Text.Json.Nodes;
using Marten;
using Shouldly;
using StatementTracker.Infrastructure;
using StatementTracker.Operations.Http;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>Rebuilding projections from the events, through the admin API, on a host of its own.</summary>
[Collection(ReplayCollection.Name)]
public class ReplayTests(ReplayFixture app, ITestOutputHelper output)
{
    private static readonly string[] Countries = ["JPN", "CHN", "RUS", "USA", "PHL", "KAZ", "IND", "AUS"];
    private static readonly string[] Topics = ["taiwan", "south-china-sea", "ukraine-war", "china-russia-relations"];
    private static readonly string[] Positions =
    [
        "will closely monitor the situation", "opposes foreign intervention", "expresses concern about the drills",
        "urges restraint on all sides", "condemns the attack", "welcomes the agreement", "held talks in Astana",
    ];

    /// <summary>
    /// Records, corrections, source additions and retractions in a random but reproducible mix, through
    /// the HTTP API. Returns how many events they appended.
    /// </summary>
    private async Task<int> GenerateHistoryAsync(int seed, int events)
    {
        var random = new Random(seed);
        var live = new List<(Guid Id, long Version)>();
        var appended = 0;
        while (appended < events)
        {
            var roll = random.Next(100);
            if (live.Count < 20 || roll < 35)
            {
                var body = StatementBodies.Valid(
                    Topics[random.Next(Topics.Length)], Countries[random.Next(Countries.Length)],
                    $"{2020 + random.Next(5)}-{1 + random.Next(12):D2}" + (random.Next(3) == 0 ? "" : $"-{1 + random.Next(28):D2}"),
                    Positions[random.Next(Positions.Length)]);
                if (random.Next(4) == 0) body = body.With("topics", new JsonArray(Topics[0], Topics[1 + random.Next(3)]));
                live.Add((await app.Host.RecordAsync(body), 1));
            }
            else
            {
                var index = random.Next(live.Count);
                var (id, version) = live[index];
                if (roll < 75)
                {
                    JsonObject change = random.Next(4) switch
                    {
                        0 => new() { ["statedOn"] = $"{2020 + random.Next(5)}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}" },
                        1 => new() { ["position"] = Positions[random.Next(Positions.Length)] + $" ({appended})" },
                        2 => new() { ["country"] = Countries[random.Next(Countries.Length)], ["stance"] = "support" },
                        _ => new() { ["topics"] = new JsonArray(Topics[random.Next(Topics.Length)]), ["stance"] = "" },
                    };
                    change["occasion"] = $"occasion {appended}"; // so that no correction is a no-op
                    live[index] = (id, await app.Host.CorrectAsync(id, version, change, $"correction {appended}"));
                }
                else if (roll < 92)
                {
                    var (status, answer, _) = await app.Host.PostJsonAsync($"/statements/{id}/sources",
                        new JsonObject { ["publisher"] = "Reuters", ["url"] = $"https://reuters.example/{appended}" });
                    status.ShouldBe(201, answer?.ToJsonString());
                    live[index] = (id, answer!["version"]!.GetValue<long>());
                }
                else
                {
                    await app.Host.RetractAsync(id, $"retraction {appended}");
                    live.RemoveAt(index);
                }
            }
            appended++;
        }
        return appended;
    }

    private async Task<JsonNode> ProjectionAsync(string name) =>
        (await app.Host.GetJsonAsync("/admin/projections"))["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!;

    private async Task WaitForRebuildAsync(string name)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            var projection = await ProjectionAsync(name);
            if (projection["lastRebuild"]?["status"]?.GetValue<string>() is "completed" or "failed") break;
            await Task.Delay(100);
        }
        (await ProjectionAsync(name))["lastRebuild"]!["status"]!.GetValue<string>().ShouldBe("completed");
    }

    [BoundedFact]
    public async Task rebuilt_projections_equal_the_ones_built_live_after_a_thousand_generated_events()
    {
        var eventsBefore = await app.EventCountAsync();
        var events = await GenerateHistoryAsync(seed: 20240704, events: 1200);
        await app.WaitForProjectionsAsync();
        var live = await ProjectionSnapshot.TakeAsync(app.ConnectionString);

        foreach (var projection in new[] { "PositionHistory", "Statement" })
        {
            (await app.Host.SendAsync(HttpMethod.Post, $"/admin/projections/{projection}/rebuild")).Status.ShouldBe(202);
            await WaitForRebuildAsync(projection);
        }
        await app.WaitForProjectionsAsync();
        var rebuilt = await ProjectionSnapshot.TakeAsync(app.ConnectionString);

        output.WriteLine($"{events} events; {live.Positions.Length} bytes of position rows, {live.Statements.Length} of statements");
        events.ShouldBe(1200);
        (await app.EventCountAsync()).ShouldBe(eventsBefore + 1200, "each generated change appends one event");
        live.Positions.Length.ShouldBeGreaterThan(1000);
        rebuilt.Positions.ShouldBe(live.Positions);
        rebuilt.Statements.ShouldBe(live.Statements);
    }

    /// <summary>
    /// A rebuild repairs position tables changed behind the projection's back, with no event applied: the answers
    /// kept from the changed tables (and their tags) end with the swap, since the tables are others.
    /// </summary>
    [BoundedFact]
    public async Task answers_kept_from_position_tables_a_rebuild_replaced_are_read_again()
    {
        var topic = StatementBodies.UniqueTopic("repaired");
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "LVA", "2024-03-01", position: "opposes the drills"));
        await app.WaitForProjectionsAsync();
        var url = $"/countries/LVA/positions/{topic}";
        await using (var connection = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = new Npgsql.NpgsqlCommand(
                $"update public.st_position_entries set position = 'damaged' where country = 'LVA' and topic = '{topic}'", connection);
            (await damage.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        string Position(JsonNode answer) => answer["current"]!["position"]!.GetValue<string>();
        var (_, damaged, first) = await app.Host.SendAsync(HttpMethod.Get, url);
        Position(damaged!).ShouldBe("damaged");
        (await app.Host.SendAsync(HttpMethod.Get, url)).Response.Headers.GetValues("Cache-Status").Single().ShouldBe(KeptAnswers.Hit);

        (await app.Host.SendAsync(HttpMethod.Post, "/admin/projections/PositionHistory/rebuild")).Status.ShouldBe(202);
        await WaitForRebuildAsync("PositionHistory");
        var (_, repaired, after) = await app.Host.SendAsync(HttpMethod.Get, url);
        Position(repaired!).ShouldBe("opposes the drills");
        after.Headers.GetValues("Cache-Status").Single().ShouldBe(KeptAnswers.Stale);
        after.Headers.ETag!.ToString().ShouldNotBe(first.Headers.ETag!.ToString());
    }

    /// <summary>
    /// Long histories are counted by year: live batch by batch, by a rebuild all at once from its rows. Both
    /// agree, for histories that grew long, were corrected across years, and became short again.
    /// </summary>
    [BoundedFact]
    public async Task a_rebuild_counts_long_histories_by_year_as_live_does()
    {
        var random = new Random(1964);
        var topics = new[] { StatementBodies.UniqueTopic("long-a"), StatementBodies.UniqueTopic("long-b"), StatementBodies.UniqueTopic("long-c") };
        var recorded = new List<(Guid Id, int Topic)>();
        for (var i = 0; i < 3 * global::StatementTracker.Positions.PositionYearsTable.LongHistory + 20; i++)
        {
            var topic = i % 3;
            var body = StatementBodies.Valid(topics[topic], "KAZ", $"{2015 + random.Next(8)}-{1 + random.Next(12):D2}", Positions[random.Next(Positions.Length)]);
            recorded.Add((await app.Host.RecordAsync(body), topic));
        }
        foreach (var (id, _) in recorded.Where(r => r.Topic == 0).Take(12))
            await app.Host.CorrectAsync(id, 1, new JsonObject { ["statedOn"] = $"{2010 + random.Next(15)}", ["occasion"] = "re-dated" });
        foreach (var (id, _) in recorded.Where(r => r.Topic == 1).Take(10)) await app.Host.RetractAsync(id);
        await app.WaitForProjectionsAsync();
        var live = await ProjectionSnapshot.TakeAsync(app.ConnectionString);
        var counted = await YearCountsAsync(topics);

        (await app.Host.SendAsync(HttpMethod.Post, "/admin/projections/PositionHistory/rebuild")).Status.ShouldBe(202);
        await WaitForRebuildAsync("PositionHistory");
        await app.WaitForProjectionsAsync();
        var rebuilt = await ProjectionSnapshot.TakeAsync(app.ConnectionString);

        counted.ShouldBe([topics[0], topics[2]], "the first and last are long; the second became short");
        rebuilt.Positions.ShouldBe(live.Positions);
    }

    /// <summary>Which of the topics have counts by year.</summary>
    private async Task<List<string>> YearCountsAsync(string[] topics)
    {
        await using var session = app.Store.QuerySession();
        return await session.ListAsync("select distinct topic from public.st_position_years where topic = any(@topics) order by topic",
            new { topics }, r => r.Get<string>("topic"), CancellationToken.None);
    }

    /// <summary>
    /// A rebuild makes the rows and documents of statements with a single event in SQL, apart from the service's
    /// own folds: statements of every shape it reads (each date precision and month length, stated and inferred
    /// stances of every kind, targets out of order, a speaker without a role, several topics, text beyond ASCII,
    /// origins, sources without a URL or date, times with and without trailing zeros) must come out as live.
    /// </summary>
    [BoundedFact]
    public async Task a_rebuild_makes_the_same_rows_and_documents_as_live_for_statements_of_every_shape()
    {
        var topic = StatementBodies.UniqueTopic("shapes");
        var other = StatementBodies.UniqueTopic("shapes-other");
        string[] dates = ["1800", "2023-02", "2024-02", "2024-12", "2024-04", "2024-02-29", "2025-12-31", "2024"];
        string[] positions =
        [
            .. Positions, "declined to comment on the report", "pledges to deepen bilateral cooperation", "Denounces the strike",
            "backs the ceasefire but warns against escalation", "a un ÉTAT de « vigilance » extrême", "no words that name a stance",
        ];
        var stances = global::StatementTracker.Vocabulary.Stances.Codes;
        var recorded = 0;
        for (var i = 0; i < positions.Length * 3; i++)
        {
            var body = StatementBodies.Valid(i % 3 == 0 ? other : topic, Countries[i % Countries.Length], dates[i % dates.Length], positions[i % positions.Length]);
            if (i % 2 == 1) body = body.With("stance", stances[i % stances.Count].ToUpperInvariant());
            if (i % 4 != 1) body = body.With("targets", (i % 4) switch
            {
                0 => new JsonArray("RUS", "CHN", "rus", "USA"),
                2 => i % 8 == 2 ? new JsonArray("USA", "CHN") : new JsonArray("CHN", "USA"),
                _ => new JsonArray("RUS"),
            });
            if (i % 5 == 0) body = body.With("speaker", new JsonObject { ["name"] = "Porte-parole Ōno" });
            if (i % 6 == 0) body = body.With("topics", new JsonArray(topic, other));
            if (i % 7 == 0) body = body.With("quote", "« Nous suivons la situation de près »").With("occasion", "press conference");
            if (i % 8 == 0) body = body.With("sources", new JsonArray(new JsonObject { ["publisher"] = "Kyodo" }, new JsonObject { ["publisher"] = "Ōno Shimbun", ["url"] = $"https://example.org/{i}?q=ü", ["publishedOn"] = "2024-02" }));
            if (i % 9 == 0) body = body.With("origin", new JsonObject { ["dataset"] = "ICEWS", ["recordId"] = $"shape-{topic}-{i}" }).Without("statementId");
            await app.Host.RecordAsync(body);
            recorded++;
        }
        await app.WaitForProjectionsAsync();
        var live = await ProjectionSnapshot.TakeAsync(app.ConnectionString);

        foreach (var projection in new[] { "PositionHistory", "Statement" })
        {
            (await app.Host.SendAsync(HttpMethod.Post, $"/admin/projections/{projection}/rebuild")).Status.ShouldBe(202);
            await WaitForRebuildAsync(projection);
        }
        await app.WaitForProjectionsAsync();
        var rebuilt = await ProjectionSnapshot.TakeAsync(app.ConnectionString);

        recorded.ShouldBe(positions.Length * 3);
        live.Positions.ShouldContain(topic);
        live.Statements.ShouldContain("Kyodo");
        live.Statements.ShouldContain("icews");
        rebuilt.Positions.ShouldBe(live.Positions);
        rebuilt.Statements.ShouldBe(live.Statements);
    }

    [BoundedFact]
    public async Task reads_during_a_rebuild_keep_answering_from_the_live_read_model_and_the_projection_keeps_up_afterwards()
    {
        await GenerateHistoryAsync(seed: 7, events: 300);
        await app.WaitForProjectionsAsync();

        var (status, accepted, response) = await app.Host.SendAsync(HttpMethod.Post, "/admin/projections/PositionHistory/rebuild");
        status.ShouldBe(202);
        accepted!["projection"]!.GetValue<string>().ShouldBe("PositionHistory");

        var answers = new List<int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            foreach (var url in new[] { "/countries/JPN/positions", "/topics/taiwan/positions", "/countries/CHN/positions/taiwan?knownAt=2030-01-01T00:00:00Z" })
            {
                var (code, body, _) = await app.Host.SendAsync(HttpMethod.Get, url);
                answers.Add(code);
                code.ShouldBeOneOf([200, 404], body?.ToJsonString());
            }
            if ((await ProjectionAsync("PositionHistory"))["lastRebuild"]?["status"]?.GetValue<string>() != "rebuilding") break;
        }
        await WaitForRebuildAsync("PositionHistory");
        output.WriteLine($"reads during the rebuild: {string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Count()} x {g.Key}"))}");
        answers.ShouldNotContain(503);

        var topic = StatementBodies.UniqueTopic("after-rebuild");
        var id = await app.Host.RecordAsync(StatementBodies.Valid(topic, "NZL"));
        await app.WaitForProjectionsAsync();
        (await app.Host.GetJsonAsync($"/countries/NZL/positions/{topic}"))["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(id);
    }

    [BoundedFact(Timeout = 3 * 60_000)]
    public async Task statements_recorded_and_corrected_during_a_rebuild_are_all_in_the_rebuilt_read_models()
    {
        await GenerateHistoryAsync(seed: 11, events: 400);
        await app.WaitForProjectionsAsync();
        var topic = StatementBodies.UniqueTopic("during-rebuild");
        var written = new List<Guid>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = await app.Host.RecordAsync(StatementBodies.Valid(topic, "NZL", $"2024-{1 + i % 12:D2}-01", position: i % 2 == 0 ? "supports it" : "opposes it"));
                if (i % 3 == 0) await app.Host.CorrectAsync(id, 1, new JsonObject { ["stance"] = "monitor" });
                lock (written) written.Add(id);
            }
        });

        foreach (var projection in new[] { "PositionHistory", "Statement" })
        {
            (await app.Host.SendAsync(HttpMethod.Post, $"/admin/projections/{projection}/rebuild")).Status.ShouldBe(202);
            await WaitForRebuildAsync(projection);
        }
        await stop.CancelAsync();
        await writer;
        await app.WaitForProjectionsAsync();
        var afterBusyRebuild = await ProjectionSnapshot.TakeAsync(app.ConnectionString);

        foreach (var projection in new[] { "PositionHistory", "Statement" })
        {
            (await app.Host.SendAsync(HttpMethod.Post, $"/admin/projections/{projection}/rebuild")).Status.ShouldBe(202);
            await WaitForRebuildAsync(projection);
        }
        await app.WaitForProjectionsAsync();
        var afterQuietRebuild = await ProjectionSnapshot.TakeAsync(app.ConnectionString);

        output.WriteLine($"{written.Count} statements recorded while the read models were rebuilt");
        written.Count.ShouldBeGreaterThan(0);
        afterBusyRebuild.Positions.ShouldBe(afterQuietRebuild.Positions);
        afterBusyRebuild.Statements.ShouldBe(afterQuietRebuild.Statements);
        (await app.Host.GetJsonAsync($"/countries/NZL/positions/{topic}"))["historyTotal"]!.GetValue<int>().ShouldBe(written.Count);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}&count=exact&pageSize=1"))["total"]!.GetValue<long>().ShouldBe(written.Count);
    }

    [BoundedFact]
    public async Task the_admin_api_lists_each_projection_with_state_position_high_water_mark_and_lag()
    {
        await app.Host.RecordAsync(StatementBodies.Valid(StatementBodies.UniqueTopic("admin")));
        await app.WaitForProjectionsAsync();

        var overview = await app.Host.GetJsonAsync("/admin/projections");

        var highWaterMark = overview["highWaterMark"]!.GetValue<long>();
        highWaterMark.ShouldBe(await HostProcess.CountAsync(app.ConnectionString, "select max(seq_id) from public.mt_events"));
        var positions = overview["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "PositionHistory")!;
        positions["lifecycle"]!.GetValue<string>().ShouldBe("Async");
        positions["state"]!.GetValue<string>().ShouldBe("running");
        positions["position"]!.GetValue<long>().ShouldBe(highWaterMark);
        positions["lag"]!.GetValue<long>().ShouldBe(0);
        overview["projections"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldBe(["Statement", "StatementList", "PositionHistory"], ignoreOrder: true);
    }

    [BoundedFact]
    public async Task a_rebuild_sends_no_alert_again_and_alerts_resume_for_shifts_after_it()
    {
        await using var receiver = new AlertReceiver();
        var topic = StatementBodies.UniqueTopic("rebuild-alerts");
        (await app.Host.PostJsonAsync("/subscriptions", new JsonObject { ["url"] = receiver.Url.ToString(), ["secret"] = "rebuild-secret", ["topic"] = topic })).Status.ShouldBe(201);
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "ISL", "2024-01-01").With("stance", "monitor"));
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "ISL", "2024-02-01").With("stance", "oppose"));
        await receiver.WaitUntilAsync(r => r.Count == 1, TimeSpan.FromSeconds(20), "the alert before the rebuild");
        // Later events elsewhere: the rebuild replays the shift in a batch unlike the live one.
        await app.Host.RecordAsync(StatementBodies.Valid(StatementBodies.UniqueTopic("elsewhere"), "ISL"));
        await app.WaitForProjectionsAsync();

        (await app.Host.SendAsync(HttpMethod.Post, "/admin/projections/PositionHistory/rebuild")).Status.ShouldBe(202);
        await WaitForRebuildAsync("PositionHistory");
        await app.WaitForProjectionsAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // several dispatch rounds

        receiver.Received.Count.ShouldBe(1, "the rebuild replayed the shift but sent nothing again");
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "ISL", "2024-03-01").With("stance", "support"));
        var alerts = await receiver.WaitUntilAsync(r => r.Count == 2, TimeSpan.FromSeconds(20), "the alert for a shift after the rebuild");
        JsonNode.Parse(alerts[1].Body)!["shift"]!["to"]!["stance"]!.GetValue<string>().ShouldBe("support");
    }

    [BoundedFact]
    public async Task rebuilding_an_unknown_projection_answers_404() =>
        (await app.Host.SendAsync(HttpMethod.Post, "/admin/projections/NoSuchProjection/rebuild")).Status.ShouldBe(404);
}
