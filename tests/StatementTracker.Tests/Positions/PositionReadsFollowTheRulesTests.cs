using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Shouldly;
using StatementTracker.Infrastructure;
using StatementTracker.Positions;
using StatementTracker.Statements;
using StatementTracker.Tests.Support;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Positions;

/// <summary>
/// The position reads, worked out in SQL by the projection (present view) or by the reads themselves (asOf,
/// knownAt), agree with the pure fold of the rules (<see cref="TopicTimeline"/>) over the recorded events, for
/// hundreds of statements posted concurrently, corrected, re-dated, moved and retracted.
/// </summary>
[Collection(ApiCollection.Name)]
public class PositionReadsFollowTheRulesTests(AppFixture app)
{
    private static readonly string[] Countries = ["BRA", "ZAF", "IDN", "TUR"];
    private static readonly string[] Stances = ["support", "oppose", "monitor", "concern", "welcome", "no-comment", "no-comment", "condemn"];
    private static readonly string[][] TargetSets = [[], ["CHN"], ["CHN", "RUS"], ["USA"]];

    [BoundedFact(Timeout = 3 * 60_000)]
    public async Task every_read_matches_the_rules_applied_to_the_events()
    {
        var random = new Random(8);
        var topics = Enumerable.Range(0, 3).Select(_ => StatementBodies.UniqueTopic("rules")).ToArray();
        string Date() => random.Next(3) switch
        {
            0 => $"{2021 + random.Next(4)}",
            1 => $"{2021 + random.Next(4)}-{1 + random.Next(12):D2}",
            _ => $"{2021 + random.Next(4)}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}",
        };
        JsonObject Body()
        {
            var stance = Stances[random.Next(Stances.Length)];
            var body = StatementBodies.Valid(topics[random.Next(topics.Length)], Countries[random.Next(Countries.Length)], Date(), position: $"says {stance}")
                .With("targets", new JsonArray(TargetSets[random.Next(TargetSets.Length)].Select(t => (JsonNode)t).ToArray()));
            // A position no rule recognises, with no stance given: inferred as unclassified, a non-position.
            body = random.Next(10) == 0 ? body.With("position", "held talks in Astana") : body.With("stance", stance);
            return random.Next(4) == 0 ? body.With("topics", new JsonArray(topics[0], topics[1 + random.Next(2)])) : body;
        }

        var bodies = Enumerable.Range(0, 240).Select(_ => Body()).ToArray();
        async Task RecordAllAsync(IEnumerable<JsonObject> some) =>
            await Parallel.ForEachAsync(some, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, _) => await app.Host.RecordAsync(body));
        // Instants after which most of a country's present rows came (early), more than a quarter (midway) and few
        // (later): a summary at an instant counts the rows visible then in the first two, and starts from the present
        // one in the last (with this seed; both ways must agree with the fold whichever is taken).
        await RecordAllAsync(bodies.Take(30));
        await app.WaitForProjectionsAsync();
        var early = DateTimeOffset.UtcNow;
        await Task.Delay(10);
        await RecordAllAsync(bodies.Skip(30));
        await app.WaitForProjectionsAsync();
        var midway = DateTimeOffset.UtcNow;
        await Task.Delay(10);

        static Guid IdOf(JsonObject body) => Guid.Parse(body["statementId"]!.GetValue<string>());
        var ids = bodies.Select(IdOf).ToList();
        var shuffled = ids.OrderBy(_ => random.Next()).ToArray();
        async Task ChangeAsync(IEnumerable<Guid> changed)
        {
            await Parallel.ForEachAsync(changed.Select((id, i) => (id, i, roll: random.Next(100), date: Date(), stance: Stances[random.Next(Stances.Length)], topic: topics[random.Next(3)], country: Countries[random.Next(Countries.Length)])),
                new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (change, _) =>
                {
                    if (change.roll < 25) { await app.Host.RetractAsync(change.id); return; }
                    JsonObject correction = change.roll switch
                    {
                        < 50 => new() { ["statedOn"] = change.date },
                        < 75 => new() { ["stance"] = change.stance },
                        < 90 => new() { ["topics"] = new JsonArray(change.topic) },
                        _ => new() { ["country"] = change.country, ["stance"] = change.stance },
                    };
                    correction["occasion"] = $"correction {change.i}";
                    await app.Host.CorrectAsync(change.id, 1, correction);
                });
        }
        await ChangeAsync(shuffled.Take(90));
        await app.WaitForProjectionsAsync();
        // A second round, so that an instant also falls between corrections, and before statements recorded later.
        var later = DateTimeOffset.UtcNow;
        await Task.Delay(10);
        var laterBodies = Enumerable.Range(0, 12).Select(_ => Body()).ToArray();
        await RecordAllAsync(laterBodies);
        // Some of the statements recorded after the instant are corrected too: invisible at it either way.
        await ChangeAsync(shuffled.Skip(90).Take(10).Concat(laterBodies.Take(3).Select(IdOf)));
        await app.WaitForProjectionsAsync();
        ids.AddRange(laterBodies.Select(IdOf));

        var events = await EventsAsync(ids);
        foreach (var view in new[] { PositionView.Present, new PositionView(null, early), new PositionView(null, midway), new PositionView(null, later), new PositionView(PartialDate.Parse("2024-06-30"), null), new PositionView(PartialDate.Parse("2022"), null), new PositionView(PartialDate.Parse("2024-01-01"), null), new PositionView(PartialDate.Parse("2023-12-31"), null), new PositionView(PartialDate.Parse("2024-09"), midway) })
        {
            var expected = Expected(events, view);
            foreach (var country in Countries)
            {
                foreach (var topic in topics)
                    await ShouldMatchAsync(country, topic, view, expected.GetValueOrDefault((country, topic)));
                await CountrySummaryShouldMatchAsync(country, topics, view, expected);
            }
            foreach (var topic in topics)
            {
                await TopicOverviewShouldMatchAsync(topic, view, expected);
                await TopicAlignmentShouldMatchAsync(topic, view, expected);
            }
            foreach (var a in Countries)
            foreach (var b in Countries.Where(c => string.CompareOrdinal(c, a) > 0))
                await PairAlignmentShouldMatchAsync(a, b, topics, view, expected);
        }
    }

    /// <summary>
    /// A long history (from <see cref="PositionYearsTable.LongHistory"/> present rows) is counted by year for its
    /// summaries at a past date or instant: those summaries agree with the rules as it grows long, changes (re-dated,
    /// restanced, retracted) and becomes short and long again; and the counts by year kept batch by batch equal a recount.
    /// </summary>
    [BoundedFact(Timeout = 3 * 60_000)]
    public async Task summaries_of_long_histories_at_past_dates_and_instants_match_the_rules_as_they_grow_shrink_and_grow_again()
    {
        var random = new Random(64);
        const string country = "NGA";
        var topics = Enumerable.Range(0, 2).Select(_ => StatementBodies.UniqueTopic("long")).ToArray();
        var years = Enumerable.Range(2016, 6).ToArray();
        string Date() => random.Next(3) switch
        {
            0 => $"{years[random.Next(years.Length)]}",
            1 => $"{years[random.Next(years.Length)]}-{1 + random.Next(12):D2}",
            _ => $"{years[random.Next(years.Length)]}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}",
        };
        JsonObject Body(string topic)
        {
            var stance = Stances[random.Next(Stances.Length)];
            return StatementBodies.Valid(topic, country, Date(), position: $"says {stance}").With("stance", stance);
        }
        async Task<List<Guid>> RecordAsync(int count, string topic)
        {
            var bodies = Enumerable.Range(0, count).Select(_ => Body(topic)).ToArray();
            await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (body, _) => await app.Host.RecordAsync(body));
            return bodies.Select(b => Guid.Parse(b["statementId"]!.GetValue<string>())).ToList();
        }
        var instants = new List<DateTimeOffset>();
        async Task ShouldMatchAsync(string stage, int longHistories)
        {
            await app.WaitForProjectionsAsync();
            var ids = await StatementIdsAsync(country, topics);
            var events = await EventsAsync(ids);
            var views = new[] { "2016", "2017-03", "2018-06-30", "2019-12-31", "2020", "2021-07-01" }
                .Select(asOf => new PositionView(PartialDate.Parse(asOf), null))
                .Concat(instants.Select(instant => new PositionView(null, instant)));
            foreach (var view in views)
            {
                await CountrySummaryShouldMatchAsync(country, topics, view, Expected(events, view));
                foreach (var topic in topics)
                {
                    var url = $"/countries/{country}/positions/{topic}{Query(view)}";
                    var expected = Expected(events, view).GetValueOrDefault((country, topic))?.ToSummary();
                    var (status, position, _) = await app.Host.SendAsync(HttpMethod.Get, url);
                    status.ShouldBe(expected is null ? 404 : 200, $"{stage}: {url}");
                    if (expected is null) continue;
                    position!["historyTotal"]!.GetValue<int>().ShouldBe(expected.HistoryTotal, $"{stage}: {url}");
                    position["shiftsTotal"]!.GetValue<int>().ShouldBe(expected.ShiftsTotal, $"{stage}: {url}");
                }
            }
            var (kept, recounted) = await CountsByYearAsync(country, topics);
            kept.ShouldBe(recounted, stage);
            kept.Select(k => k.Split('|')[1]).Distinct().Count().ShouldBe(longHistories, stage);
            // Summaries at this instant, read after the next stages: from the present ones and what changed since.
            instants.Add(DateTimeOffset.UtcNow);
            await Task.Delay(10);
        }

        // Both topics grow long: the first with most of its rows, the second by crossing one by one.
        var first = await RecordAsync(PositionYearsTable.LongHistory + 30, topics[0]);
        var second = await RecordAsync(PositionYearsTable.LongHistory - 2, topics[1]);
        await ShouldMatchAsync("one long, one short", longHistories: 1);
        second.AddRange(await RecordAsync(5, topics[1]));
        await ShouldMatchAsync("both long", longHistories: 2);

        // Changes within long histories: re-dated across years, restanced, moved to the other topic, retracted.
        var changed = first.OrderBy(_ => random.Next()).Take(24).ToList();
        foreach (var (id, i) in changed.Select((id, i) => (id, i)))
        {
            if (i % 4 == 3) { await app.Host.RetractAsync(id); first.Remove(id); continue; }
            JsonObject correction = (i % 4) switch
            {
                0 => new() { ["statedOn"] = Date() },
                1 => new() { ["stance"] = Stances[random.Next(Stances.Length)] },
                _ => new() { ["topics"] = new JsonArray(topics[1]) },
            };
            correction["occasion"] = $"correction {i}";
            await app.Host.CorrectAsync(id, 1, correction);
        }
        await ShouldMatchAsync("changed", longHistories: 2);

        // The first becomes short (its counts go), then long again (counted afresh from its rows).
        foreach (var id in first.Skip(PositionYearsTable.LongHistory - 5).ToList()) { await app.Host.RetractAsync(id); first.Remove(id); }
        await ShouldMatchAsync("first short again", longHistories: 1);
        await RecordAsync(10, topics[0]);
        await ShouldMatchAsync("first long again", longHistories: 2);
    }

    /// <summary>The kept counts by year of the country's long histories on the topics, and the same counted afresh from its present rows.</summary>
    private async Task<(List<string> Kept, List<string> Recounted)> CountsByYearAsync(string country, string[] topics)
    {
        await using var session = app.Store.QuerySession();
        static string Row(SqlRow r) => $"{r.Get<string>("country")}|{r.Get<string>("topic")}|{r.Get<int>("year")}|{r.Get<int>("history_total")}|{r.Get<int>("shifts_total")}";
        var kept = await session.ListAsync($"select * from {PositionYearsTable.QualifiedName("public")} where country = @country and topic = any(@topics) order by topic, year",
            new { country, topics }, Row, CancellationToken.None);
        var recounted = await session.ListAsync(
            $"select * from ({PositionYearsTable.CountsSql(PositionEntriesTable.QualifiedName("public"), PositionShiftsTable.QualifiedName("public"), PositionYearsTable.LongHistories(PositionSummariesTable.QualifiedName("public")))}) c where country = @country and topic = any(@topics) order by topic, year",
            new { country, topics }, Row, CancellationToken.None);
        return (kept, recounted);
    }

    /// <summary>Every statement ever recorded for the country on the topics, whatever it became.</summary>
    private async Task<List<Guid>> StatementIdsAsync(string country, string[] topics)
    {
        await using var session = app.Store.QuerySession();
        return await session.ListAsync($"select distinct statement_id from {PositionEntriesTable.QualifiedName("public")} where country = @country and topic = any(@topics)",
            new { country, topics }, r => r.Get<Guid>("statement_id"), CancellationToken.None);
    }

    /// <summary>Pairwise alignment lists the topics where both have a current substantive stance, with those stances.</summary>
    private async Task PairAlignmentShouldMatchAsync(string a, string b, string[] topics, PositionView view, Dictionary<(string, string), TopicTimeline> expected)
    {
        var url = $"/countries/{a}/alignment/{b}?topics={string.Join(',', topics)}{Query(view, "&")}";
        var answer = await app.Host.GetJsonAsync(url);
        string? Current(string country, string topic) =>
            expected.GetValueOrDefault((country, topic))?.ToSummary().Current is { IsSubstantive: true } current
                ? $"{current.Stance}[{string.Join(',', current.Targets)}]"
                : null;
        static string Stance(JsonNode side) =>
            $"{side["stance"]!.GetValue<string>()}[{string.Join(',', side["targets"]!.AsArray().Select(t => t!.GetValue<string>()))}]";

        var listed = answer["topics"]!.AsArray().Select(t => $"{t!["topic"]!.GetValue<string>()}:{Stance(t["a"]!)}|{Stance(t["b"]!)}");
        var wanted = topics.Where(t => Current(a, t) is not null && Current(b, t) is not null).Select(t => $"{t}:{Current(a, t)}|{Current(b, t)}");
        listed.Order().ShouldBe(wanted.Order(), url);
    }

    /// <summary>A topic's alignment lists every country whose current stance on it is substantive, with that stance.</summary>
    private async Task TopicAlignmentShouldMatchAsync(string topic, PositionView view, Dictionary<(string, string), TopicTimeline> expected)
    {
        var url = $"/topics/{topic}/alignment{Query(view)}";
        var answer = await app.Host.GetJsonAsync(url);
        var listed = answer["countries"]!.AsArray().Select(c =>
            $"{c!["country"]!.GetValue<string>()}:{c["stance"]!.GetValue<string>()}[{string.Join(',', c["targets"]!.AsArray().Select(t => t!.GetValue<string>()))}]:{c["statementId"]!.GetValue<Guid>()}");
        var wanted = Countries.Select(country => (country, current: expected.GetValueOrDefault((country, topic))?.ToSummary().Current))
            .Where(c => c.current is { IsSubstantive: true })
            .Select(c => $"{c.country}:{c.current!.Stance}[{string.Join(',', c.current.Targets)}]:{c.current.StatementId}");
        listed.Order().ShouldBe(wanted.Order(), url);
    }

    private async Task<Dictionary<Guid, IReadOnlyList<IEvent>>> EventsAsync(IEnumerable<Guid> ids)
    {
        await using var session = app.Store.QuerySession();
        var events = new Dictionary<Guid, IReadOnlyList<IEvent>>();
        foreach (var id in ids) events[id] = await session.Events.FetchStreamAsync(id);
        return events;
    }

    /// <summary>The fold of the rules over the statements as the view sees them, per country and topic.</summary>
    private static Dictionary<(string Country, string Topic), TopicTimeline> Expected(Dictionary<Guid, IReadOnlyList<IEvent>> events, PositionView view)
    {
        var entries = new List<(string Country, string Topic, (DateOnly, DatePrecision, long) Key, HistoryEntry Entry)>();
        foreach (var (id, stream) in events)
        {
            var known = stream.Where(e => view.KnownAt is null || e.Timestamp <= view.KnownAt).ToArray();
            if (known.Length == 0 || known[^1].Data is StatementRetracted) continue;
            var latest = known.Last(e => e.Data is StatementRecorded or StatementCorrected);
            var content = latest.Data is StatementRecorded r ? r.Content : ((StatementCorrected)latest.Data).After;
            if (view.AsOf is { } asOf && content.StatedOn.LastDay > asOf.LastDay) continue;
            var stance = content.EffectiveStance;
            var entry = new HistoryEntry(id, content.Speaker, content.Position, stance, StanceFamilies.Of(stance), content.StanceInferred,
                content.StatedOn, Targets.Canonical(content.Targets), latest.Timestamp);
            foreach (var topic in content.Topics)
                entries.Add((content.Country, topic, (content.StatedOn.FirstDay, content.StatedOn.Precision, stream[0].Sequence), entry));
        }
        return entries
            .GroupBy(e => (e.Country, e.Topic))
            .ToDictionary(g => g.Key, g => TopicTimeline.Of(g.Key.Topic, g.OrderBy(e => e.Key).Select(e => e.Entry)));
    }

    private static string Query(PositionView view, string separator = "?")
    {
        var parts = new List<string>();
        if (view.AsOf is { } asOf) parts.Add($"asOf={asOf}");
        if (view.KnownAt is { } knownAt) parts.Add($"knownAt={Uri.EscapeDataString(knownAt.ToString("O"))}");
        return parts.Count == 0 ? "" : separator + string.Join('&', parts);
    }

    private static string Describe(Shift shift) => $"{shift.From.Stance}->{shift.To.Stance}@{shift.StatedOn}:{shift.StatementId}";

    private async Task ShouldMatchAsync(string country, string topic, PositionView view, TopicTimeline? expected)
    {
        var url = $"/countries/{country}/positions/{topic}{Query(view)}";
        var (status, position, _) = await app.Host.SendAsync(HttpMethod.Get, url);
        if (expected is null)
        {
            status.ShouldBe(404, url);
            return;
        }
        status.ShouldBe(200, url);
        var summary = expected.ToSummary();
        position!["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(summary.Current.StatementId, url);
        position["current"]!["family"]!.GetValue<string>().ShouldBe(summary.Current.Family, url);
        position["current"]!["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(summary.Current.Targets, url);
        position["historyTotal"]!.GetValue<int>().ShouldBe(summary.HistoryTotal, url);
        position["shiftsTotal"]!.GetValue<int>().ShouldBe(summary.ShiftsTotal, url);
        (position["lastShift"] is { } last ? PositionJson.Shifts(new JsonArray(last.DeepClone()))[0] : null)
            .ShouldBe(summary.LastShift is null ? null : Describe(summary.LastShift), url);

        (await AllPagesAsync($"/countries/{country}/positions/{topic}/history", view, "statementId"))
            .ShouldBe(expected.History.Select(e => e.StatementId.ToString()), url + " history");
        (await AllShiftsAsync($"/countries/{country}/positions/{topic}/shifts", view))
            .ShouldBe(expected.Shifts.Select(Describe), url + " shifts");
    }

    private async Task CountrySummaryShouldMatchAsync(string country, string[] topics, PositionView view, Dictionary<(string, string), TopicTimeline> expected)
    {
        var url = $"/countries/{country}/positions{Query(view)}";
        var summaries = (await app.Host.GetJsonAsync(url))["topics"]!.AsArray()
            .Where(t => topics.Contains(t!["topic"]!.GetValue<string>()))
            .ToDictionary(t => t!["topic"]!.GetValue<string>(), t => t!);
        summaries.Keys.Order().ShouldBe(topics.Where(t => expected.ContainsKey((country, t))).Order(), url);
        foreach (var (topic, summary) in summaries)
        {
            var rules = expected[(country, topic)].ToSummary();
            summary["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(rules.Current.StatementId, url);
            summary["historyTotal"]!.GetValue<int>().ShouldBe(rules.HistoryTotal, url);
            summary["shiftsTotal"]!.GetValue<int>().ShouldBe(rules.ShiftsTotal, url);
            (summary["lastShift"]?["statementId"]?.GetValue<Guid>()).ShouldBe(rules.LastShift?.StatementId, url);
        }
    }

    private async Task TopicOverviewShouldMatchAsync(string topic, PositionView view, Dictionary<(string Country, string Topic), TopicTimeline> expected)
    {
        var url = $"/topics/{topic}/positions{Query(view)}";
        var overview = await app.Host.GetJsonAsync(url);
        var listed = overview["stances"]!.AsObject()
            .SelectMany(group => group.Value!.AsArray().Select(c => $"{c!["country"]}:{group.Key}:{c["statementId"]}"))
            .Order();
        listed.ShouldBe(expected.Where(e => e.Key.Topic == topic)
            .Select(e => $"{e.Key.Country}:{e.Value.ToSummary().Current.Stance}:{e.Value.ToSummary().Current.StatementId}").Order(), url);
    }

    /// <summary>Every item of a paged list, oldest first, read in small pages.</summary>
    private async Task<List<string>> AllPagesAsync(string path, PositionView view, string field)
    {
        var items = new List<string>();
        string? cursor = null;
        do
        {
            var page = await app.Host.GetJsonAsync($"{path}?limit=7{Query(view, "&")}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            items.InsertRange(0, PositionJson.Column(page["items"], field));
            cursor = page["next"]?.GetValue<string>();
        } while (cursor is not null);
        return items;
    }

    private async Task<List<string>> AllShiftsAsync(string path, PositionView view)
    {
        var items = new List<string>();
        string? cursor = null;
        do
        {
            var (status, page, _) = await app.Host.SendAsync(HttpMethod.Get, $"{path}?limit=3{Query(view, "&")}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            if (status == 404) return items;
            items.InsertRange(0, PositionJson.Shifts(page!["items"]));
            cursor = page["next"]?.GetValue<string>();
        } while (cursor is not null);
        return items;
    }
}
