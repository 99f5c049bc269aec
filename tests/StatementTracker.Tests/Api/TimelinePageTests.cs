using System.Net;
using System.Net.Http.Headers;
using Shouldly;
using StatementTracker.Tests.Support;
using StatementTracker.Timeline;

namespace StatementTracker.Tests.Api;

/// <summary>
/// The timeline page at "/": served to anyone, even where reads need the reader role (the files hold no
/// data; the API calls they make still need the key), and nothing but its own embedded files.
/// </summary>
[Collection(ReaderOnlyCollection.Name)]
public class TimelinePageTests(ReaderOnlyFixture app)
{
    private HttpClient Anonymous() => app.Host.Server.CreateClient();

    /// <summary>A reader: where reads need the role, an anonymous call to an unknown route answers 401 before routing matters.</summary>
    private HttpClient Reader()
    {
        var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Reader);
        return client;
    }

    [BoundedFact]
    public async Task the_page_is_served_at_the_root_without_credentials_while_the_api_still_needs_them()
    {
        using var client = Anonymous();

        var page = await client.GetAsync("/");
        var countries = await client.GetAsync("/countries");
        var missingFile = await client.GetAsync("/timeline/nope.js");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
        (await page.Content.ReadAsStringAsync()).ShouldContain("<script type=\"module\" src=\"timeline/js/main.js\"></script>");
        countries.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        missingFile.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [BoundedFact]
    public async Task every_file_of_the_page_is_served_with_its_media_type()
    {
        using var client = Anonymous();
        var paths = PageAssets.Load(typeof(PageAssets).Assembly).Paths;

        paths.ShouldContain("js/main.js");
        paths.ShouldContain("timeline.css");
        foreach (var path in paths)
        {
            var response = await client.GetAsync($"/timeline/{path}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            var expected = Path.GetExtension(path) switch { ".js" => "text/javascript", ".css" => "text/css", ".html" => "text/html", _ => "image/svg+xml" };
            response.Content.Headers.ContentType!.MediaType.ShouldBe(expected, path);
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        }
    }

    [BoundedFact]
    public async Task a_file_asked_again_with_its_etag_answers_304()
    {
        using var client = Anonymous();
        var first = await client.GetAsync("/timeline/js/main.js");

        using var again = new HttpRequestMessage(HttpMethod.Get, "/timeline/js/main.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await client.SendAsync(again);

        second.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [BoundedTheory]
    [InlineData("/timeline/nope.js")]
    [InlineData("/timeline/")]
    [InlineData("/timeline/js/")]
    [InlineData("/timeline/StatementTracker.dll")]
    [InlineData("/timeline/%2e%2e/appsettings.json")]
    [InlineData("/index.html")]
    [InlineData("/timeline.css")]
    public async Task anything_else_is_a_404_problem(string path)
    {
        using var client = Reader();

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [BoundedFact]
    public async Task the_root_answers_get_only()
    {
        using var client = Reader();

        var response = await client.PostAsync("/", new StringContent("{}", MediaTypeHeaderValue.Parse("application/json")));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
