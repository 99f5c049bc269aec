using Alba;
using Marten.Events;
using Shouldly;
using StatementTracker.Tests.Support;
using Wolverine;

namespace StatementTracker.Tests.Api;

/// <summary>The host's <c>seed</c> command, run as a real process against a database of its own.</summary>
public class SeedCommandTests(TestDatabase database)
{
    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task seeding_twice_leaves_the_same_statements_and_japan_monitors_china_russia_relations()
    {
        var connectionString = await database.CreateDatabaseAsync("seed");

        var first = await HostProcess.RunAsync(connectionString, "seed");
        first.ExitCode.ShouldBe(0, first.Output);
        first.Output.ShouldContain("5 recorded, 0 already present");
        var second = await HostProcess.RunAsync(connectionString, "seed");
        second.ExitCode.ShouldBe(0, second.Output);
        second.Output.ShouldContain("0 recorded, 5 already present");

        (await HostProcess.CountAsync(connectionString, "select count(*) from public.mt_events")).ShouldBe(5);
        (await HostProcess.CountAsync(connectionString, "select count(*) from public.mt_streams")).ShouldBe(5);

        await using var host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:StatementTracker", connectionString);
            builder.UseSetting("Database:AutoCreate", "CreateOrUpdate");
            builder.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
        await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        // The headline example: Japan will closely monitor China-Russia relations; declining to comment on
        // a meeting of third countries in the same press conference does not change that stance.
        var japan = await host.GetJsonAsync("/countries/JPN/positions/china-russia-relations");
        japan["current"]!["stance"]!.GetValue<string>().ShouldBe("monitor");
        japan["current"]!["family"]!.GetValue<string>().ShouldBe("guarded");
        japan["current"]!["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["CHN", "RUS"]);
        japan["shifts"]!.AsArray().ShouldBeEmpty();
        japan["shiftsTotal"]!.GetValue<int>().ShouldBe(0);
        japan["history"]!.AsArray().Select(e => e!["stance"]!.GetValue<string>()).ShouldBe(["monitor", "no-comment"]);
        japan["history"]!.AsArray().ShouldAllBe(e => e!["statedOn"]!.GetValue<string>() == "2024-07-04");
        var overview = await host.GetJsonAsync("/topics/china-russia-relations/positions");
        overview["stances"]!["monitor"]!.AsArray().Select(c => c!["country"]!.GetValue<string>()).ShouldBe(["JPN"]);
        overview["stances"]!["commit"]!.AsArray().Select(c => c!["country"]!.GetValue<string>()).ShouldBe(["CHN"]);
        overview["stances"]!.AsObject().ContainsKey("no-comment").ShouldBeFalse();
        (await host.GetJsonAsync("/shifts?country=JPN"))["items"]!.AsArray().ShouldBeEmpty();
        var putin = await host.GetJsonAsync("/countries/RUS/positions/taiwan");
        putin["current"]!["speaker"]!["name"]!.GetValue<string>().ShouldBe("Vladimir Putin");
        var xi = await host.GetJsonAsync("/countries/CHN/positions");
        xi["topics"]!.AsArray().Select(t => t!["topic"]!.GetValue<string>()).Order().ShouldBe(["china-russia-relations", "ukraine-war"]);
    }
}
