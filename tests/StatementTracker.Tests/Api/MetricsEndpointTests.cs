using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>Without a management port, the scrape endpoint is on the service's port, for admins only.</summary>
[Collection(ApiCollection.Name)]
public class MetricsEndpointTests(AppFixture app)
{
    [BoundedFact]
    public async Task the_scrape_endpoint_answers_admins_in_prometheus_text_and_refuses_others()
    {
        (await app.Host.SendAsync(HttpMethod.Get, "/metrics", apiKey: null)).Status.ShouldBe(401);
        (await app.Host.SendAsync(HttpMethod.Get, "/metrics", apiKey: TestKeys.Reader)).Status.ShouldBe(403);

        using var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);
        var response = await client.GetAsync("/metrics");

        response.IsSuccessStatusCode.ShouldBeTrue();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await response.Content.ReadAsStringAsync()).ShouldContain("# TYPE statementtracker_");
    }
}
