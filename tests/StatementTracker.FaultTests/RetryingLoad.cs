using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace StatementTracker.FaultTests;

/// <summary>
/// Statements posted by several clients to whichever of the nodes is up, each retried (same id, so a retry of
/// one already recorded answers 200) until acknowledged. Only a request sent while the test has declared an
/// outage may end in a 5xx; a 5xx to a request sent outside one, or any 4xx, fails the load at once.
/// </summary>
public sealed class RetryingLoad(IReadOnlyList<ServiceNode> nodes, Func<int, JsonObject> body)
{
    /// <summary>How long a client keeps retrying one statement before the load fails.</summary>
    public TimeSpan RetryDeadline { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Generous: a busy 2-core machine answers slowly, and a timed-out attempt is simply retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public ConcurrentDictionary<Guid, int> Acknowledged { get; } = new();
    public int Requests => _requests;
    public int FailedAttempts => _failedAttempts;
    public int AlreadyRecorded => _alreadyRecorded;
    public int ServerErrorsDuringOutage => _serverErrorsDuringOutage;

    /// <summary>Attempts that got no answer (refused connection, timeout) after the service answered again: retried, reported.</summary>
    public int TransportFailuresOutsideOutage => _transportFailuresOutsideOutage;

    /// <summary>When the first statement was acknowledged after the last outage ended, or null.</summary>
    public TimeSpan? FirstAcknowledgedAfterOutage => _firstAcknowledgedAfterOutageTicks == 0 ? null : TimeSpan.FromTicks(_firstAcknowledgedAfterOutageTicks);

    private int _requests, _failedAttempts, _alreadyRecorded, _serverErrorsDuringOutage, _transportFailuresOutsideOutage, _next = -1;
    private long _firstAcknowledgedAfterOutageTicks;
    private volatile bool _outage;
    private readonly ConcurrentBag<(int Count, TaskCompletionSource Reached)> _thresholds = [];

    /// <summary>From now on, requests may fail with a 5xx: call it just before the fault.</summary>
    public void OutageBegins() => _outage = true;

    /// <summary>The service answers again: a 5xx to any request sent from now on fails the load.</summary>
    public void OutageEnds()
    {
        _outage = false;
        Interlocked.Exchange(ref _firstAcknowledgedAfterOutageTicks, 0);
    }

    /// <summary>Completes once at least <paramref name="count"/> statements are acknowledged: a threshold, so concurrent acknowledgements cannot skip it.</summary>
    public Task AcknowledgedAtLeast(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _thresholds.Add((count, reached));
        if (Acknowledged.Count >= count) reached.TrySetResult();
        return reached.Task;
    }

    /// <summary>
    /// Runs <paramref name="clients"/> clients until <paramref name="statements"/> statements are acknowledged or
    /// <paramref name="stopTaking"/> is cancelled; a client always finishes the statement it has started.
    /// <paramref name="cancellation"/> (the test's time bound) stops everything at once.
    /// </summary>
    public async Task RunAsync(int clients, int statements, CancellationToken cancellation, CancellationToken stopTaking = default)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stopTaking);
        async Task Client(int number)
        {
            var http = nodes.ToDictionary(n => n, n => n.CreateClient(RequestTimeout));
            try
            {
                while (!failed.IsCancellationRequested && Interlocked.Increment(ref _next) is var index && index < statements)
                    await PostUntilAcknowledgedAsync(index, number, http, cancellation);
            }
            catch
            {
                // One failure stops the others taking new statements, so the test fails without finishing the load.
                await failed.CancelAsync();
                throw;
            }
            finally
            {
                foreach (var client in http.Values) client.Dispose();
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(Client));
    }

    private async Task PostUntilAcknowledgedAsync(int index, int clientNumber, Dictionary<ServiceNode, HttpClient> http, CancellationToken cancellation)
    {
        var statement = body(index);
        var id = Guid.Parse(statement["statementId"]!.GetValue<string>());
        var giveUpAt = Clock.Elapsed + RetryDeadline;
        // Clients start on different nodes, and a retry moves on to the next node.
        for (var attempt = clientNumber + index; ; attempt++)
        {
            if (Clock.Elapsed > giveUpAt)
                throw new TimeoutException($"Statement {index} was not acknowledged within {RetryDeadline.TotalSeconds} s of retries; see {string.Join(", ", nodes.Select(n => n.LogFile))}");
            var node = nodes[attempt % nodes.Count];
            if (!node.IsRunning)
            {
                await Task.Delay(50, cancellation);
                continue;
            }
            var sentDuringOutage = _outage;
            Interlocked.Increment(ref _requests);
            try
            {
                using var response = await http[node].PostAsJsonAsync("/statements", statement, cancellation);
                var status = (int)response.StatusCode;
                if (status is 200 or 201)
                {
                    Acknowledge(id, status);
                    return;
                }
                if (status < 500 || !sentDuringOutage)
                    throw new InvalidOperationException(
                        $"Statement {index} was answered {status} by {node.Name} {(status < 500 ? "" : "outside the outage ")}at {Clock.Elapsed.TotalSeconds:F1} s: {await response.Content.ReadAsStringAsync(cancellation)}");
                Interlocked.Increment(ref _serverErrorsDuringOutage);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellation.IsCancellationRequested))
            {
                if (!sentDuringOutage) Interlocked.Increment(ref _transportFailuresOutsideOutage);
            }
            Interlocked.Increment(ref _failedAttempts);
            await Task.Delay(100, cancellation);
        }
    }

    private void Acknowledge(Guid id, int status)
    {
        if (status == 200) Interlocked.Increment(ref _alreadyRecorded);
        Acknowledged[id] = status;
        if (!_outage) Interlocked.CompareExchange(ref _firstAcknowledgedAfterOutageTicks, Clock.Elapsed.Ticks, 0);
        var count = Acknowledged.Count;
        foreach (var (threshold, reached) in _thresholds)
            if (count >= threshold) reached.TrySetResult();
    }
}
