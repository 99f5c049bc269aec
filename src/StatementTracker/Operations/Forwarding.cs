using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace StatementTracker.Operations;

/// <summary>
/// The <c>Network</c> configuration section: the reverse proxies whose <c>X-Forwarded-For</c> is believed.
/// Off by default: a header any client can send must never pick the address a caller is limited by.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>Proxy addresses (<c>Network__KnownProxies__0=10.0.0.5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation (<c>Network__KnownNetworks__0=10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

public static class Forwarding
{
    /// <summary>
    /// Before authentication and the rate limits: the client address becomes the one a configured proxy forwarded.
    /// Only <c>X-Forwarded-For</c>, read right to left while each hop is a known proxy; ASP.NET Core's default trust
    /// of loopback is dropped, so only what is configured counts. Bad configuration stops the start-up.
    /// </summary>
    public static void UseConfiguredForwarding(this IApplicationBuilder app, IConfiguration configuration)
    {
        var network = configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        if (!network.Enabled) return;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var (proxy, index) in network.KnownProxies.Select((p, i) => (p, i)))
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"Network:KnownProxies:{index} is not an IP address: '{proxy}'."));
        foreach (var (cidr, index) in network.KnownNetworks.Select((n, i) => (n, i)))
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(cidr, out var range)
                ? range
                : throw new InvalidOperationException($"Network:KnownNetworks:{index} is not a network in CIDR notation (10.0.0.0/8): '{cidr}'."));
        app.UseForwardedHeaders(options);
    }
}
