using System.Diagnostics;
using Shouldly;

namespace StatementTracker.FaultTests;

/// <summary>
/// The OpenAPI document proven by a client generated from it: Kiota (the repository's tool manifest) generates
/// a C# client from the document a running service serves, and a small program built on that client records,
/// corrects, reads the position and reads the history against the same service.
/// </summary>
public class GeneratedClientTests(TestDatabase database, ITestOutputHelper output)
{
    private static readonly string Project = Path.Combine(Repository.Root, "tests", "StatementTracker.ClientCheck");

    private async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        var (exitCode, text) = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(4));
        output.WriteLine($"$ dotnet {string.Join(' ', arguments)}\n{text}");
        return (exitCode, text);
    }

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task a_client_generated_from_the_openapi_document_records_corrects_and_reads_positions_and_history()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var node = new ServiceNode(await database.CreateDatabaseAsync("kiota"), "kiota");
        await node.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        await File.WriteAllTextAsync(Path.Combine(Project, "openapi.json"), await anonymous.GetStringAsync("/openapi/v1.json", cancellation), cancellation);

        // The README's test command alone must do: restore the tool manifest's Kiota (quick when it is there).
        (await RunAsync(Repository.Root, "tool", "restore")).ExitCode.ShouldBe(0);
        var (generated, generation) = await RunAsync(Project, "tool", "run", "kiota", "generate", "-l", "CSharp", "-d", "openapi.json", "-o", "Generated",
            "-c", "StatementTrackerClient", "-n", "StatementTracker.ClientCheck.Generated", "--clean-output", "--exclude-backward-compatible");
        generated.ShouldBe(0, generation);
        File.Exists(Path.Combine(Project, "Generated", "StatementTrackerClient.cs")).ShouldBeTrue();

        var (checkedOut, run) = await RunAsync(Project, "run", "--project", Path.Combine(Project, "StatementTracker.ClientCheck.csproj"), "--",
            node.BaseAddress.ToString(), TestKeys.Editor);

        checkedOut.ShouldBe(0, run);
        run.ShouldContain("The generated client works.");
    }
}
