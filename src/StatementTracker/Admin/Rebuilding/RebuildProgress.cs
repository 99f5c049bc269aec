namespace StatementTracker.Admin.Rebuilding;

/// <summary>How far a rebuild is: its phase, and the events it has gone through of those it must.</summary>
public sealed record RebuildProgress(string Phase, long Processed, long Total);

/// <summary>A rebuild of read models from the events, beside the live ones, swapped in when caught up.</summary>
public interface IShadowRebuild
{
    Task RunAsync(Action<RebuildProgress> progress, CancellationToken cancellation);
}
