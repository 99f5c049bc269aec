using System.Text.RegularExpressions;
using Shouldly;

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
