namespace StatementTracker.Operations;

/// <summary>The <c>Health</c> configuration section.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Ready only while every async projection is at most this many events behind the store.</summary>
    public long MaxProjectionLag { get; set; } = 1000;

    /// <summary>How long a readiness result is reused: one probe per interval reaches the database, however many ask.</summary>
    public double CacheSeconds { get; set; } = 2;
}
