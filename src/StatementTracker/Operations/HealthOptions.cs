namespace StatementTracker.Operations;

/// <summary>The <c>Health</c> configuration section.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Ready only while every async projection is at most this many events behind the store.</summary>
    public long MaxProjectionLag { get; set; } = 1000;
}
