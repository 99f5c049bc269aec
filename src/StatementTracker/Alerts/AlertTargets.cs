using System.Net;
using System.Net.Sockets;

namespace StatementTracker.Alerts;

/// <summary>
/// Where alerts may be sent: http or https URLs whose host resolves only to public addresses, unless
/// private targets are allowed. Checked when subscribing and again on every connection, so a name that
/// later resolves to an internal address (DNS rebinding) is refused at delivery too.
/// </summary>
public static class AlertTargets
{
    public static bool IsHttpUrl(string? url, out Uri uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri!)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>Loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT, unspecified and multicast addresses.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] == 0
            || b[0] >= 224;
    }

    /// <summary>The addresses a host name stands for, refused (empty) when any of them is private and those are not allowed.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, bool allowPrivate, CancellationToken cancellation)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellation);
        return allowPrivate || addresses.All(a => !IsPrivate(a)) ? addresses : [];
    }

    /// <summary>A connection callback for the delivery client: connects only to addresses <see cref="ResolveAsync"/> allows.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(bool allowPrivate) =>
        async (context, cancellation) =>
        {
            var addresses = await ResolveAsync(context.DnsEndPoint.Host, allowPrivate, cancellation);
            if (addresses.Length == 0)
                throw new HttpRequestException($"Alert target {context.DnsEndPoint.Host} resolves to a private address, which is not allowed.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
