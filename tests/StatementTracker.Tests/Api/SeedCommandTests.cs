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
            builder.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
        await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var japan = await host.GetJsonAsync("/countries/JPN/positions/china-russia-relations");
        japan["history"]!.AsArray().Select(e => e!["stance"]!.GetValue<string>()).ShouldContain("monitor");
        japan["history"]!.AsArray().ShouldAllBe(e => e!["statedOn"]!.GetValue<string>() == "2024-07-04");
        var putin = await host.GetJsonAsync("/countries/RUS/positions/taiwan");
        putin["current"]!["speaker"]!["name"]!.GetValue<string>().ShouldBe("Vladimir Putin");
        var xi = await host.GetJsonAsync("/countries/CHN/positions");
        xi["topics"]!.AsArray().Select(t => t!["topic"]!.GetValue<string>()).Order().ShouldBe(["china-russia-relations", "ukraine-war"]);
    }
}
