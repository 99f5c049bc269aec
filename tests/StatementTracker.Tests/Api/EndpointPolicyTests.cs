using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using StatementTracker.Security;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>
/// Every endpoint the host maps names the policy its route needs, so an endpoint added later without one
/// fails here; and one that names none is closed to everything but reads.
/// </summary>
[Collection(ApiCollection.Name)]
public class EndpointPolicyTests(AppFixture app)
{
    private const string Anonymous = "anonymous";
    private const string Undeclared = "no policy (reads only)";

    /// <summary>Reads only analysts may make: their own jobs and alert subscriptions.</summary>
    private static readonly string[] AnalystReads = ["/imports/", "/subscriptions"];

    private static string[] Expected(string route, IReadOnlyList<string> methods) =>
        // The page, the health probes and the API's own description are for anyone, as is the interactive reference.
        route == "/" || route.StartsWith("/timeline/", StringComparison.Ordinal) || route.StartsWith("/health/", StringComparison.Ordinal)
        || route.StartsWith("/openapi/", StringComparison.Ordinal) || route == "/docs" || route.StartsWith("/docs/", StringComparison.Ordinal) ? [Anonymous]
        : route.StartsWith("/admin/", StringComparison.Ordinal) || route == "/metrics" ? [Policies.Admin]
        : methods.Count == 0 || methods.Any(m => m is not ("GET" or "HEAD")) ? [Policies.Write]
        : AnalystReads.Any(prefix => route.StartsWith(prefix, StringComparison.Ordinal)) ? [Policies.Write]
        : [Undeclared, Policies.Read];

    private static string Declared(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return Anonymous;
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "(default)").Distinct().ToArray();
        return policies.Length == 0 ? Undeclared : string.Join(" + ", policies);
    }

    [BoundedFact]
    public void every_mapped_endpoint_declares_the_policy_its_route_needs()
    {
        var endpoints = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

        var wrong = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var expected = Expected(route, methods);
            if (!expected.Contains(Declared(endpoint)))
                wrong.Add($"{string.Join(",", methods)} {route}: {Declared(endpoint)}, expected {string.Join(" or ", expected)}");
        }

        wrong.ShouldBeEmpty();
        // The walk saw the whole API, the write and admin routes among them.
        endpoints.Select(e => e.RoutePattern.RawText!.TrimStart('/')).ShouldContain("statements/{id}/corrections");
        endpoints.Select(e => e.RoutePattern.RawText!.TrimStart('/')).ShouldContain("admin/projections/{name}/rebuild");
        endpoints.Length.ShouldBeGreaterThanOrEqualTo(36);
    }

    [BoundedFact]
    public async Task an_endpoint_that_names_no_policy_is_denied_every_method_but_reads_whatever_the_caller_holds()
    {
        var fallback = await app.Host.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var authorization = app.Host.Services.GetRequiredService<IAuthorizationService>();
        var everyRole = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "all-roles"), .. new[] { Roles.Reader, Roles.Analyst, Roles.Admin }.Select(r => new Claim(ClaimTypes.Role, r))],
            "test"));

        async Task<bool> Allowed(string method)
        {
            var request = new DefaultHttpContext();
            request.Request.Method = method;
            request.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/added-later"), 0, EndpointMetadataCollection.Empty, "added later"));
            return (await authorization.AuthorizeAsync(everyRole, request, fallback!)).Succeeded;
        }

        (await Allowed("GET")).ShouldBeTrue();
        (await Allowed("HEAD")).ShouldBeTrue();
        foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" }) (await Allowed(method)).ShouldBeFalse(method);
    }
}
