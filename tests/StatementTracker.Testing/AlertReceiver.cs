using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace StatementTracker.Testing;

/// <summary>An alert as the receiver got it, and what it answered.</summary>
public sealed record ReceivedAlert(DateTimeOffset At, string? AlertId, string? Signature, string Body, int AnsweredWith);

/// <summary>
/// A real HTTP receiver on loopback for webhook alerts: it records every POST and answers each with the
/// next status queued in <see cref="Answers"/>, or <see cref="DefaultAnswer"/> when none is queued.
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedAlert> _received = new();
    private readonly Task _loop;

    public AlertReceiver()
    {
        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/hooks/shifts");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ListenAsync);
    }

    public Uri Url { get; }
    public ConcurrentQueue<int> Answers { get; } = new();
    public int DefaultAnswer { get; set; } = 200;
    public IReadOnlyList<ReceivedAlert> Received => [.. _received];

    /// <summary>Waits until the alerts received satisfy <paramref name="condition"/>; fails with what arrived otherwise.</summary>
    public async Task<IReadOnlyList<ReceivedAlert>> WaitUntilAsync(Func<IReadOnlyList<ReceivedAlert>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Received)) return Received;
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}; received: {string.Join("; ", Received.Select(r => $"{r.AlertId} -> {r.AnsweredWith}"))}");
    }

    private async Task ListenAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = Answers.TryDequeue(out var queued) ? queued : DefaultAnswer;
            _received.Enqueue(new ReceivedAlert(DateTimeOffset.UtcNow, context.Request.Headers["Alert-Id"], context.Request.Headers["Alert-Signature"], body, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
