namespace StatementTracker.Alerts;

/// <summary>The <c>Alerts</c> configuration section.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// Whether subscriptions may target loopback, private, link-local or unique-local addresses. Off by
    /// default, so an analyst's key cannot make the service call into its own network.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>The base URL alerts link to (<c>https://tracker.example.org/</c>); by default the address the service listens on.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How often each node looks for newly raised shifts to send.</summary>
    public double DispatchSeconds { get; set; } = 0.5;

    /// <summary>How long one delivery attempt may take.</summary>
    public double DeliveryTimeoutSeconds { get; set; } = 10;
}
