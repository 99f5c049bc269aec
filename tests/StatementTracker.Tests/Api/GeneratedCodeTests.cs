using Shouldly;

namespace StatementTracker.Tests.Api;

/// <summary>
/// Endpoints and handlers run from code generated ahead of time and committed. A new or changed endpoint
/// needs it written again, or it would answer 404 or the old way: this test fails until then.
/// </summary>
public class GeneratedCodeTests(TestDatabase database)
{
    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task the_committed_generated_code_is_what_codegen_writes_for_the_code_as_it_is()
    {
        var committed = Path.Combine(Repository.Root, "src", "StatementTracker", "Internal", "Generated");
        var fresh = Path.Combine(Path.GetTempPath(), $"statementtracker-codegen-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, output) = await HostProcess.RunAsync(
                await database.CreateDatabaseAsync("codegen"),
                new Dictionary<string, string> { ["CodeGeneration__Mode"] = "Dynamic", ["CodeGeneration__OutputPath"] = fresh },
                "codegen", "write");
            exitCode.ShouldBe(0, output);

            static Dictionary<string, string> Files(string root) => Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);
            var (written, inRepository) = (Files(fresh), Files(committed));
            var stale = written.Keys.Union(inRepository.Keys)
                .Where(file => written.GetValueOrDefault(file) != inRepository.GetValueOrDefault(file))
                .Order()
                .ToArray();
            written.Count.ShouldBeGreaterThan(20, "every endpoint and handler has its generated file");
            stale.ShouldBeEmpty("stale generated code: run `dotnet run --project src/StatementTracker.Host -- codegen write` and commit it");
        }
        finally
        {
            if (Directory.Exists(fresh)) Directory.Delete(fresh, recursive: true);
        }
    }
}
