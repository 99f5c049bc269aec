using System.Text.RegularExpressions;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>The host's <c>projections</c> command, run as a real process against a database of its own.</summary>
public class ProjectionsCommandTests(TestDatabase database)
{
    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task the_command_line_lists_projections_and_rebuilds_them_all_or_one_by_name()
    {
        var connectionString = await database.CreateDatabaseAsync("cli");
        (await HostProcess.RunAsync(connectionString, "seed")).ExitCode.ShouldBe(0);

        var list = await HostProcess.RunAsync(connectionString, "projections", "list");
        list.ExitCode.ShouldBe(0, list.Output);
        // One table row per projection, its name (cut where the console is narrow) and lifecycle.
        foreach (var (name, lifecycle) in new[] { ("PositionHistor", "Async"), ("Statement", "Inline"), ("StatementList", "Inline") })
            Regex.IsMatch(list.Output, $@"│ {name}\s+│\s+\d+ │[^│]*│[^│]*│ {lifecycle}\s+│").ShouldBeTrue($"a row for {name} ({lifecycle}):\n{list.Output}");

        // The seed command records events but projects nothing asynchronously: only a rebuild fills the positions.
        (await HostProcess.CountAsync(connectionString, "select count(*) from public.st_position_entries")).ShouldBe(0);
        var all = await HostProcess.RunAsync(connectionString, "projections", "rebuild");
        all.ExitCode.ShouldBe(0, all.Output);
        (await HostProcess.CountAsync(connectionString, "select count(*) from public.st_position_entries where known_until is null")).ShouldBe(6);

        var one = await HostProcess.RunAsync(connectionString, "projections", "rebuild", "-p", "PositionHistory");
        one.ExitCode.ShouldBe(0, one.Output);
        one.Output.ShouldContain("PositionHistory");
        (await HostProcess.CountAsync(connectionString, "select count(*) from public.st_position_entries where known_until is null")).ShouldBe(6);
        (await HostProcess.CountAsync(connectionString, "select count(*) from public.mt_doc_statement")).ShouldBe(5);
    }
}
