using System.Diagnostics;

namespace StatementTracker.Testing;

/// <summary>
/// The service as a real process on its own port, against a given database: started, killed with
/// SIGKILL, restarted, as an operator's supervisor would. Its output goes to a log file for diagnosis.
/// </summary>
public sealed class ServiceNode : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private ChildProcess? _process;

    public ServiceNode(string connectionString, string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        Name = name;
        Port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        LogFile = Path.Combine(Path.GetTempPath(), $"statementtracker-{name}-{Guid.NewGuid():N}.log");
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }
    public string LogFile { get; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The process's resident memory in bytes (Linux), or null when it is not running.</summary>
    public long? ResidentBytes() => Status("VmRSS:");

    /// <summary>The most resident memory the process has had since it started (Linux), or null when it is not running.</summary>
    public long? PeakResidentBytes() => Status("VmHWM:");

    /// <summary>How long the last start took, from starting the process to its first answer.</summary>
    public TimeSpan StartedIn { get; private set; }

    private long? Status(string field)
    {
        if (_process is not { HasExited: false } process) return null;
        var status = $"/proc/{process.Id}/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>A client that calls this node as the test editor (analyst and admin).</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Editor);
        return client;
    }

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(HostProcess.Directory, "StatementTracker.Host.dll"), "--urls", BaseAddress.ToString()])
        {
            WorkingDirectory = HostProcess.Directory,
        };
        start.Environment["ConnectionStrings__StatementTracker"] = _connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__StatementTracker"] = "Information";
        foreach (var (key, value) in TestKeys.Settings()) start.Environment[key.Replace(":", "__")] = value;
        foreach (var (key, value) in _settings) start.Environment[key.Replace(":", "__")] = value;

        // A restart after a kill: the dead process's captured output stays in the log file.
        _process?.Dispose();
        _process = ChildProcess.Start(start, LogFile);

        using var client = CreateClient(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        var started = _process.StartTime.ToUniversalTime();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(90)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode}; see {LogFile}");
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode)
                {
                    StartedIn = DateTime.UtcNow - started;
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"Node {Name} did not start; see {LogFile}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        await Task.CompletedTask;
    }
}
