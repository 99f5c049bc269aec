using System.Diagnostics;
using StatementTracker.Testing;

namespace StatementTracker.Benchmarks;

/// <summary>
/// The host published as the image publishes it (deploy/Dockerfile: for the current runtime, so ReadyToRun), into
/// the benchmark's own bin folder: what is measured is what ships, start-up included.
/// </summary>
public static class PublishedHost
{
    public static async Task<string> PublishAsync()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "published-host");
        var project = Path.Combine(Repository.Root, "src", "StatementTracker.Host", "StatementTracker.Host.csproj");
        var start = new ProcessStartInfo("dotnet",
            ["publish", project, "-c", "Release", "--use-current-runtime", "--self-contained", "false", "-o", output, "-nologo", "-v", "quiet"]);
        var (exitCode, log) = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(10));
        if (exitCode != 0) throw new InvalidOperationException($"Publishing the service failed ({exitCode}):\n{log}");
        return output;
    }
}
