using System.Net;
using System.Security.Claims;
using Shouldly;
using StatementTracker.Operations;

namespace StatementTracker.Tests.Operations;

/// <summary>Whose allowance a request takes: the caller's name, an IPv4 address, or an IPv6 /64.</summary>
public class RateLimitPartitionTests
{
    private static string Of(string address) => RequestLimits.PartitionOf(new ClaimsPrincipal(new ClaimsIdentity()), IPAddress.Parse(address));

    [BoundedFact]
    public void ipv6_callers_in_one_64_share_a_partition_and_other_64s_do_not()
    {
        Of("2001:db8:1:2:aaaa::1").ShouldBe(Of("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Of("2001:db8:1:2::1").ShouldBe("address:2001:db8:1:2::/64");
        Of("2001:db8:1:3::1").ShouldNotBe(Of("2001:db8:1:2::1"));
    }

    [BoundedFact]
    public void ipv4_callers_are_keyed_on_their_address_as_it_is_also_when_mapped_to_ipv6()
    {
        Of("203.0.113.5").ShouldBe("address:203.0.113.5");
        Of("203.0.113.6").ShouldNotBe(Of("203.0.113.5"));
        Of("::ffff:203.0.113.5").ShouldBe("address:203.0.113.5");
    }

    [BoundedFact]
    public void an_authenticated_caller_is_keyed_on_its_stable_identity_wherever_it_calls_from()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "Aiko"), new Claim(StatementTracker.Infrastructure.Actors.IdClaim, "key:aiko")], "test"));

        RequestLimits.PartitionOf(user, IPAddress.Parse("203.0.113.5")).ShouldBe("caller:key:aiko");
        RequestLimits.PartitionOf(user, IPAddress.Parse("2001:db8::1")).ShouldBe("caller:key:aiko");
    }
}
