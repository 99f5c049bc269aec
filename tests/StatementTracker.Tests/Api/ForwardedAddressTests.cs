using System.Net;
using Alba;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>An anonymous caller's allowance, by the address it sends from or the one a trusted proxy forwards.</summary>
public static class ForwardedRequests
{
    /// <summary>The statuses of <paramref name="count"/> anonymous reads from <paramref name="from"/>, each forwarding one client.</summary>
    public static async Task<int[]> ReadAsync(IAlbaHost host, string from, params string?[] forwardedFor)
    {
        var statuses = new List<int>();
        foreach (var client in forwardedFor)
        {
            var context = await host.Server.SendAsync(c =>
            {
                c.Request.Method = "GET";
                c.Request.Path = "/countries";
                c.Connection.RemoteIpAddress = IPAddress.Parse(from);
                if (client is not null) c.Request.Headers["X-Forwarded-For"] = client;
            });
            statuses.Add(context.Response.StatusCode);
        }
        return [.. statuses];
    }

    /// <summary>A documentation address (TEST-NET-2) no other test uses.</summary>
    public static string UniqueAddress() => $"198.51.100.{Random.Shared.Next(1, 255)}";
}

[Collection(ForwardingCollection.Name)]
public class ForwardedAddressTests(ForwardingFixture app)
{
    [BoundedFact]
    public async Task behind_a_configured_proxy_each_forwarded_client_has_its_own_allowance()
    {
        var burst = Enumerable.Repeat<string?>("203.0.113.5", ForwardingFixture.Burst + 3).ToArray();

        var first = await ForwardedRequests.ReadAsync(app.Host, ForwardingFixture.Proxy, burst);
        // Several: a token refilled meanwhile lets at most one through.
        var sameClientViaTheNetwork = await ForwardedRequests.ReadAsync(app.Host, "10.1.2.3", "203.0.113.5", "203.0.113.5", "203.0.113.5");
        var another = await ForwardedRequests.ReadAsync(app.Host, ForwardingFixture.Proxy, "203.0.113.6");

        first[0].ShouldBe(200);
        first.ShouldContain(429);
        sameClientViaTheNetwork.ShouldContain(429);
        another.ShouldBe([200]);
    }

    [BoundedFact]
    public async Task a_sender_that_is_not_a_configured_proxy_is_limited_by_its_own_address_whatever_it_forwards()
    {
        var statuses = await ForwardedRequests.ReadAsync(app.Host, "192.0.2.9", "203.0.113.20", "203.0.113.21", "203.0.113.22", "203.0.113.23");

        statuses.ShouldContain(429);
    }
}

[Collection(LimitsCollection.Name)]
public class UnconfiguredForwardingTests(LimitsFixture app)
{
    [BoundedFact]
    public async Task without_a_configured_proxy_x_forwarded_for_is_ignored()
    {
        var clients = Enumerable.Range(1, LimitsFixture.Burst + 2).Select(n => (string?)$"203.0.113.{n}").ToArray();

        var statuses = await ForwardedRequests.ReadAsync(app.Host, ForwardedRequests.UniqueAddress(), clients);

        statuses.ShouldContain(429);
    }
}
