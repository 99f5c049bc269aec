using System.Diagnostics;
using System.Text;

namespace StatementTracker.Testing;

/// <summary>
/// A process a test starts, with its standard output and error captured line by line (and, when given, copied
/// to a log file as they arrive): reading both pipes all along keeps a chatty child from blocking on a full pipe.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter? _log;
    private bool _disposed;

    private ChildProcess(ProcessStartInfo start, string? logFile)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        if (logFile is not null)
            _log = new StreamWriter(File.Open(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ChildProcess Start(ProcessStartInfo start, string? logFile = null) => new(start, logFile);

    /// <summary>Runs a command to its end; kills it and fails when it outlives <paramref name="timeout"/> or the test's own bound.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var child = Start(start);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await child.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{start.FileName} {string.Join(' ', start.ArgumentList)}' did not finish within {timeout.TotalSeconds:F0} s; output: {child.Output}");
        }
        return (child.ExitCode, child.Output);
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public DateTime StartTime => _process.StartTime;

    /// <summary>Everything the process wrote so far, standard output and error interleaved as they arrived.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Waits for the exit and for the last captured line (the async readers finish after the exit).</summary>
    public async Task WaitForExitAsync(CancellationToken cancellation = default)
    {
        await _process.WaitForExitAsync(cancellation);
    }

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public void Kill(bool entireProcessTree = true)
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        _process.Dispose();
        lock (_output)
        {
            // Lines may still arrive from the reader threads: they are dropped, not written to a closed log.
            _disposed = true;
            _log?.Dispose();
        }
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_disposed) return;
            _output.AppendLine(line);
            _log?.WriteLine(line);
        }
    }
}
