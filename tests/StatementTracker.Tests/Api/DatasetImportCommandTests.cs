using Shouldly;
using StatementTracker.Tests.Importing;

namespace StatementTracker.Tests.Api;

/// <summary>The <c>import</c> and <c>export</c> commands on the field's formats, run as real processes.</summary>
public class DatasetImportCommandTests(TestDatabase database)
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"statementtracker-datasets-{Guid.NewGuid():N}");

    private static string WriteFile(string name, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task an_icews_file_imports_its_kept_rows_counts_each_skip_reason_and_rejects_and_a_second_run_adds_nothing()
    {
        var connectionString = await database.CreateDatabaseAsync("icews");
        var path = WriteFile("events.tab", [
            DatasetRows.IcewsHeader,
            DatasetRows.Icews(id: "1"),
            DatasetRows.Icews(id: "2", code: "036", targetName: "China", targetCountry: "China"),
            DatasetRows.Icews(id: "3", code: "190"),                                            // not verbal
            DatasetRows.Icews(id: "4", sourceName: "Toyota", sectors: "Business"),              // not a state actor
            DatasetRows.Icews(id: "5", sourceName: "Europe", sourceCountry: "Europe"),          // no source country
            DatasetRows.Icews(id: "6", targetCountry: "Japan"),                                 // no foreign target
            DatasetRows.Icews(id: "7", date: "yesterday"),                                      // rejected, row 8
            DatasetRows.Icews(id: "8", code: "999x"),                                           // rejected, row 9
        ]);

        var (exitCode, output) = await HostProcess.RunAsync(connectionString, "import", "--format", "icews", path);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("read 8, imported 2, already present 0, skipped 4 (no foreign target: 1, no source country: 1, not a state actor: 1, not verbal: 1), rejected 2");
        File.ReadAllLines(path + ".rejects.jsonl").Length.ShouldBe(2);
        (await HostProcess.CountAsync(connectionString, "select count(*) from public.st_statement_list where dataset = 'icews'")).ShouldBe(2);

        var (again, secondOutput) = await HostProcess.RunAsync(connectionString, "import", "--format", "icews", path);
        again.ShouldBe(0, secondOutput);
        secondOutput.ShouldContain("imported 0, already present 2");
        (await HostProcess.CountAsync(connectionString, "select count(*) from public.mt_events")).ShouldBe(2);
    }

    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task statements_exported_as_json_lines_import_into_an_empty_database_as_the_same_statements()
    {
        var source = await database.CreateDatabaseAsync("roundtrip");
        var gdelt = WriteFile("gdelt.export.CSV", [
            DatasetRows.Gdelt(id: "11"), DatasetRows.Gdelt(id: "12", code: "0234", actor2Country: "CHN", actor2Name: "CHINA", url: "not a url"),
            DatasetRows.Gdelt(id: "13", code: "014", actor1Country: "KOR", actor1Name: "SOUTH KOREA"),
        ]);
        (await HostProcess.RunAsync(source, "import", "--format", "gdelt", gdelt)).ExitCode.ShouldBe(0);
        var ours = WriteFile("ours.jsonl", [StatementBodies.Valid(StatementBodies.UniqueTopic("roundtrip")).ToJsonString()]);
        (await HostProcess.RunAsync(source, "import", ours)).ExitCode.ShouldBe(0);
        var exported = Path.Combine(Folder, "export.jsonl");
        var (exportCode, exportOutput) = await HostProcess.RunAsync(source, "export", "statements", "--format", "jsonl", "--out", exported);
        exportCode.ShouldBe(0, exportOutput);
        File.ReadAllLines(exported).Length.ShouldBe(4);

        var target = await database.CreateDatabaseAsync("roundtriptarget");
        var (importCode, importOutput) = await HostProcess.RunAsync(target, "import", exported);
        importCode.ShouldBe(0, importOutput);
        importOutput.ShouldContain("imported 4");
        var again = Path.Combine(Folder, "again.jsonl");
        (await HostProcess.RunAsync(target, "export", "statements", "--format", "jsonl", "--out", again)).ExitCode.ShouldBe(0);

        File.ReadAllLines(again).Order().ShouldBe(File.ReadAllLines(exported).Order());
        File.ReadAllText(exported).ShouldContain("\"origin\":{\"dataset\":\"gdelt\",\"recordId\":\"12\"}");
    }
}
