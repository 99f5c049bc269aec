using System.Diagnostics;
using JasperFx.Events.Daemon.HighWater;
using Marten;
using Marten.Events.Daemon.HighWater;
using Marten.Services;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace StatementTracker.Infrastructure;

/// <summary>
/// How the async daemon learns of new events: a NOTIFY on every commit that appends (ours and Marten's),
/// heard by one LISTEN connection, with wake-ups spaced at least <see cref="MinimumInterval"/> apart. After a
/// quiet spell the first append wakes the daemon at once; under a steady stream of small commits the daemon
/// takes what arrived in the interval as one batch, instead of one small batch per commit (the projection's
/// cost is mostly per batch).
/// </summary>
public static class DaemonWakeups
{
    public const string Channel = "mt_events_appended";

    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The statement that wakes the daemon; part of every transaction that appends events.</summary>
    public const string Notify = $"select pg_notify('{Channel}', '')";

    public static void UseSpacedWakeups(this StoreOptions options, string connectionString)
    {
        options.Projections.Wakeup = new SpacedWakeup(
            new PostgresqlListenWakeup(NpgsqlDataSource.Create(connectionString), NullLogger.Instance, Channel), MinimumInterval);
        options.Listeners.Add(new NotifyOnAppend());
    }

    private sealed class SpacedWakeup(IDaemonWakeup inner, TimeSpan interval) : IDaemonWakeup, IDisposable
    {
        private long _lastWake;

        public async Task WaitAsync(TimeSpan timeout, CancellationToken token)
        {
            await inner.WaitAsync(timeout, token);
            var since = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastWake));
            if (since < interval) await Task.Delay(interval - since, token);
            Interlocked.Exchange(ref _lastWake, Stopwatch.GetTimestamp());
        }

        public void Dispose() => (inner as IDisposable)?.Dispose();
    }

    /// <summary>Marten's own appends (corrections, retractions, sources) notify too, in their transaction.</summary>
    private sealed class NotifyOnAppend : DocumentSessionListenerBase
    {
        public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            if (session.PendingChanges.Streams().Any()) session.QueueSqlCommand(Notify);
            return Task.CompletedTask;
        }
    }
}
