using System.Text.RegularExpressions;
using Shouldly;
using StatementTracker.Positions;

namespace StatementTracker.Tests.Api;

/// <summary>The <c>db-apply</c> and <c>help</c> commands, run as real processes as an operator runs them.</summary>
public class SchemaAndHelpCommandTests(TestDatabase database)
{
    private static readonly Dictionary<string, string> NoAutoCreate = new() { ["Database__AutoCreate"] = "None" };

    private static Task<long> TableExists(string connectionString, string table) =>
        HostProcess.CountAsync(connectionString, $"select count(*) from pg_tables where schemaname = 'public' and tablename = '{table}'");

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task db_apply_creates_the_schema_in_an_empty_database_and_running_it_again_changes_nothing()
    {
        var connectionString = await database.CreateDatabaseAsync("dbapply");
        (await TableExists(connectionString, "mt_events")).ShouldBe(0);

        var first = await HostProcess.RunAsync(connectionString, NoAutoCreate, "db-apply");
        first.ExitCode.ShouldBe(0, first.Output);
        foreach (var table in new[] { "mt_events", "mt_streams", "mt_doc_statement", "st_position_entries" })
            (await TableExists(connectionString, table)).ShouldBe(1, $"{table} after db-apply");
        var tables = await HostProcess.CountAsync(connectionString, "select count(*) from pg_tables where schemaname = 'public'");

        var again = await HostProcess.RunAsync(connectionString, NoAutoCreate, "db-apply");
        again.ExitCode.ShouldBe(0, again.Output);
        (await HostProcess.CountAsync(connectionString, "select count(*) from pg_tables where schemaname = 'public'")).ShouldBe(tables);
    }

    /// <summary>
    /// The counts by year that dated summaries of long histories read came after the position tables: a database
    /// made before them gets them from its positions when the schema is applied, without a rebuild.
    /// </summary>
    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task db_apply_fills_the_counts_by_year_of_a_database_made_before_them_from_its_positions()
    {
        var connectionString = await database.CreateDatabaseAsync("years");
        var topic = StatementBodies.UniqueTopic("years");
        var path = Path.Combine(Path.GetTempPath(), $"statementtracker-years-{Guid.NewGuid():N}.jsonl");
        PositionYearsTable.LongHistory.ShouldBeLessThanOrEqualTo(70, "a long history");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 70).Select(i =>
            StatementBodies.Valid(topic, "MEX", $"{2015 + i % 7}-{1 + i % 12:D2}", i % 3 == 0 ? "opposes the plan" : "supports the plan").ToJsonString()));
        (await HostProcess.RunAsync(connectionString, "import", path)).ExitCode.ShouldBe(0);
        (await HostProcess.RunAsync(connectionString, "projections", "rebuild", "-p", "PositionHistory")).ExitCode.ShouldBe(0);
        const string counts = "select coalesce(sum(history_total), 0) * 1000000 + coalesce(sum(shifts_total), 0) * 1000 + count(*) from public.st_position_years";
        var built = await HostProcess.CountAsync(connectionString, counts);
        built.ShouldBe(70 * 1_000_000L + 47 * 1000 + 7, "70 rows over 7 years, with 47 changes between support and opposition in date order");

        await HostProcess.CountAsync(connectionString, "drop table public.st_position_years; select 0::bigint");
        var applied = await HostProcess.RunAsync(connectionString, NoAutoCreate, "db-apply");

        applied.ExitCode.ShouldBe(0, applied.Output);
        (await HostProcess.CountAsync(connectionString, counts)).ShouldBe(built);
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task help_lists_every_command_the_readme_names()
    {
        // help reads no database: an address nobody listens on proves it.
        var (exitCode, output) = await HostProcess.RunAsync("Host=127.0.0.1;Port=1;Database=none", "help");

        exitCode.ShouldBe(0, output);
        foreach (var command in new[] { "seed", "import", "export", "db-apply", "db-grant", "projections", "help" })
            Regex.IsMatch(output, $@"^\s+{Regex.Escape(command)}\s{{2,}}\S", RegexOptions.Multiline).ShouldBeTrue($"help lists {command}:\n{output}");
    }
}
