using System.Diagnostics;
using Npgsql;

namespace StatementTracker.Testing;

/// <summary>The built host run as a separate process, as an operator runs it from the command line.</summary>
public static class HostProcess
{
    /// <summary>The host's own build output: the test folder's extra assemblies confuse its command discovery.</summary>
    public static string Directory { get; } = Path.Combine(
        Repository.Root, "src", "StatementTracker.Host", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0");

    /// <summary>How long a command may run before it is killed and the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<(int ExitCode, string Output)> RunAsync(string connectionString, params string[] arguments) =>
        RunAsync(connectionString, new Dictionary<string, string>(), arguments);

    /// <param name="environment">Settings for this run, as environment variables (<c>CodeGeneration__Mode</c>).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string connectionString, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(connectionString, environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // Ends with the test's own time bound too, so a timed-out test leaves no process behind.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', arguments)}' did not finish within {Timeout.TotalMinutes} minutes.");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts a command without waiting for it (to kill it midway); its output is redirected.</summary>
    public static Process Start(string connectionString, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(Directory, "StatementTracker.Host.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        start.Environment["ConnectionStrings__StatementTracker"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        // Tests start from empty databases: the host may create the schema.
        start.Environment["Database__AutoCreate"] = "CreateOrUpdate";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return Process.Start(start)!;
    }

    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
