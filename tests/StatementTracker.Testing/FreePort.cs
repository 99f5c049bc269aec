using System.Net;
using System.Net.Sockets;

namespace StatementTracker.Testing;

/// <summary>A loopback port no one listens on right now, for a service, a database or a receiver a test starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        // Port 0 asks the operating system for an unused port; it is released at once for the caller to bind.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
