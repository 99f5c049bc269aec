using System.Diagnostics;
using Npgsql;

namespace StatementTracker.Testing;

/// <summary>The built host run as a separate process, as an operator runs it from the command line.</summary>
public static class HostProcess
{
    /// <summary>Names another folder holding the host (the benchmark's ReadyToRun publish) instead of its build output.</summary>
    public const string DirectoryVariable = "STATEMENTTRACKER_HOST_DIRECTORY";

    /// <summary>The host's own build output (the test folder's extra assemblies confuse its command discovery), or the folder <see cref="DirectoryVariable"/> names.</summary>
    public static string Directory => Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } published
        ? published
        : Path.Combine(Repository.Root, "src", "StatementTracker.Host", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0");

    /// <summary>How long a command may run before it is killed and the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<(int ExitCode, string Output)> RunAsync(string connectionString, params string[] arguments) =>
        RunAsync(connectionString, new Dictionary<string, string>(), arguments);

    /// <param name="environment">Settings for this run, as environment variables (<c>CodeGeneration__Mode</c>).</param>
    public static Task<(int ExitCode, string Output)> RunAsync(
        string connectionString, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ChildProcess.RunAsync(StartInfo(connectionString, environment, arguments), Timeout);

    /// <summary>Starts a command without waiting for it (to kill it midway); its output is captured.</summary>
    public static ChildProcess Start(string connectionString, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ChildProcess.Start(StartInfo(connectionString, environment, arguments));

    private static ProcessStartInfo StartInfo(string connectionString, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(Directory, "StatementTracker.Host.dll"), .. arguments]) { WorkingDirectory = Directory };
        start.Environment["ConnectionStrings__StatementTracker"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        // Tests start from empty databases: the host may create the schema.
        start.Environment["Database__AutoCreate"] = "CreateOrUpdate";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
