using System.Threading.Channels;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StatementTracker.Statements.Recording;

/// <summary>The <c>Writes</c> configuration section: how statements are committed together.</summary>
public sealed class WriteOptions
{
    public const string Section = "Writes";

    /// <summary>The most statements one transaction commits; concurrent requests share it.</summary>
    public int MaxStatementsPerCommit { get; set; } = 1000;

    /// <summary>How many transactions may be committing at once.</summary>
    public int Writers { get; set; } = 2;
}

/// <summary>
/// Records new statements with group commit: concurrent requests queue here, and each writer takes all that
/// are waiting (up to <see cref="WriteOptions.MaxStatementsPerCommit"/>) into one transaction of
/// <see cref="NewStatements"/>: two round trips and one flush, however many. Every caller is answered only
/// after its commit, so nothing acknowledged is lost. Events are stamped at commit, as Marten stamps them.
/// </summary>
public sealed class StatementWriter(IDocumentStore store, IOptions<WriteOptions> options, ILogger<StatementWriter> logger) : BackgroundService
{
    private readonly NewStatements _statements = new(store);

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000)
    {
        SingleReader = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private sealed record Pending(IReadOnlyList<StatementRecorded> Group, TaskCompletionSource<GroupOutcome> Done);

    /// <summary>Queues a group for the next commit and answers once it is committed (or refused).</summary>
    public async Task<GroupOutcome> RecordAsync(IReadOnlyList<StatementRecorded> group, CancellationToken cancellation)
    {
        var pending = new Pending(group, new TaskCompletionSource<GroupOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellation);
        // The commit goes ahead even if this caller stops waiting: recording is idempotent.
        return await pending.Done.Task.WaitAsync(cancellation);
    }

    protected override Task ExecuteAsync(CancellationToken stopping) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Writers)).Select(_ => WriteLoopAsync(stopping)));

    private async Task WriteLoopAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        var max = Math.Max(1, options.Value.MaxStatementsPerCommit);
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                var batch = new List<Pending>();
                var statements = 0;
                while (statements < max && reader.TryPeek(out var next) && (batch.Count == 0 || statements + next.Group.Count <= max) && reader.TryRead(out next))
                {
                    batch.Add(next);
                    statements += next.Group.Count;
                }
                if (batch.Count == 0) continue;
                try
                {
                    var outcomes = await _statements.CommitAsync(batch.Select(p => p.Group).ToArray(), _statements.Prepare, bulk: false, CancellationToken.None);
                    for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(outcomes[i]);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "A commit of {Statements} statements failed; its {Requests} requests answer with the error", statements, batch.Count);
                    foreach (var pending in batch) pending.Done.TrySetException(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
