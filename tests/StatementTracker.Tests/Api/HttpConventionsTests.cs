using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>HTTP as clients and caches expect it: HEAD, conditional reads (304), Cache-Control, compression and Link.</summary>
[Collection(ApiCollection.Name)]
public class HttpConventionsTests(AppFixture app)
{
    private readonly string _topic = StatementBodies.UniqueTopic("http");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, Action<HttpRequestHeaders>? headers = null)
    {
        var client = app.Host.Server.CreateClient();
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Api-Key", TestKeys.Editor);
        headers?.Invoke(request.Headers);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<byte[]> BodyAsync(HttpResponseMessage response) => await response.Content.ReadAsByteArrayAsync();

    private static string? ETag(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    private Task<Guid> SayAsync(string country, string statedOn, string stance) =>
        app.Host.RecordAsync(StatementBodies.Valid(_topic, country, statedOn, position: $"states {stance}").With("stance", stance));

    [BoundedFact]
    public async Task head_answers_as_get_does_with_the_same_headers_and_no_body()
    {
        var id = await SayAsync("NOR", "2024-03-01", "support");
        await app.WaitForProjectionsAsync();

        foreach (var url in new[] { $"/statements/{id}", $"/countries/NOR/positions/{_topic}", "/statements?country=NOR", "/shifts", "/", "/health/live" })
        {
            var get = await SendAsync(HttpMethod.Get, url);
            var head = await SendAsync(HttpMethod.Head, url);
            ((int)head.StatusCode).ShouldBe((int)get.StatusCode, url);
            ((int)get.StatusCode).ShouldBe(200, url);
            (await BodyAsync(head)).ShouldBeEmpty(url);
            (await BodyAsync(get)).ShouldNotBeEmpty(url);
            ETag(head).ShouldBe(ETag(get), url);
            head.Content.Headers.ContentType?.MediaType.ShouldBe(get.Content.Headers.ContentType?.MediaType, url);
        }
    }

    [BoundedFact]
    public async Task head_on_an_unknown_statement_answers_404_and_head_on_a_write_only_route_is_refused()
    {
        (await SendAsync(HttpMethod.Head, $"/statements/{Guid.NewGuid()}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await SendAsync(HttpMethod.Head, $"/statements/{Guid.NewGuid()}/corrections")).StatusCode.ShouldBe(System.Net.HttpStatusCode.MethodNotAllowed);
    }

    [BoundedFact]
    public async Task a_statement_read_with_its_etag_answers_304_without_a_body_until_it_is_corrected()
    {
        var id = await SayAsync("ISL", "2024-03-01", "concern");
        var first = await SendAsync(HttpMethod.Get, $"/statements/{id}");
        ETag(first).ShouldBe("\"1\"");

        var again = await SendAsync(HttpMethod.Get, $"/statements/{id}", h => h.Add("If-None-Match", ETag(first)));
        ((int)again.StatusCode).ShouldBe(304);
        (await BodyAsync(again)).ShouldBeEmpty();
        ETag(again).ShouldBe("\"1\"");
        (await SendAsync(HttpMethod.Head, $"/statements/{id}", h => h.Add("If-None-Match", "W/\"1\""))).StatusCode
            .ShouldBe(System.Net.HttpStatusCode.NotModified);

        await app.Host.CorrectAsync(id, 1, new JsonObject { ["position"] = "states deep concern" });
        var changed = await SendAsync(HttpMethod.Get, $"/statements/{id}", h => h.Add("If-None-Match", ETag(first)));
        ((int)changed.StatusCode).ShouldBe(200);
        ETag(changed).ShouldBe("\"2\"");
        (await BodyAsync(changed)).ShouldNotBeEmpty();
    }

    [BoundedFact]
    public async Task a_position_read_with_its_etag_answers_304_until_the_projection_applies_more_events()
    {
        await SayAsync("FIN", "2024-01-01", "monitor");
        await app.WaitForProjectionsAsync();
        var url = $"/countries/FIN/positions/{_topic}";
        var first = await SendAsync(HttpMethod.Get, url);
        var tag = ETag(first);
        tag.ShouldNotBeNull();
        tag.ShouldStartWith("W/");

        var again = await SendAsync(HttpMethod.Get, url, h => h.Add("If-None-Match", tag));
        ((int)again.StatusCode).ShouldBe(304);
        (await BodyAsync(again)).ShouldBeEmpty();
        // Another query of the same rows is another answer, with a tag of its own.
        ETag(await SendAsync(HttpMethod.Get, url + "?historyLimit=1")).ShouldNotBe(tag);
        foreach (var read in new[] { "/countries/FIN/positions", $"/topics/{_topic}/positions", $"{url}/history", "/shifts", "/statements?country=FIN" })
        {
            var answer = await SendAsync(HttpMethod.Get, read);
            ETag(answer).ShouldNotBeNull(read);
            ((int)(await SendAsync(HttpMethod.Get, read, h => h.Add("If-None-Match", ETag(answer)))).StatusCode).ShouldBe(304, read);
        }

        await SayAsync("FIN", "2024-02-01", "oppose");
        await app.WaitForProjectionsAsync();
        var moved = await SendAsync(HttpMethod.Get, url, h => h.Add("If-None-Match", tag));
        ((int)moved.StatusCode).ShouldBe(200);
        ETag(moved).ShouldNotBe(tag);
        JsonNode.Parse(await BodyAsync(moved))!["current"]!["stance"]!.GetValue<string>().ShouldBe("oppose");
    }

    [BoundedFact]
    public async Task reads_are_revalidated_and_writes_and_errors_are_never_stored()
    {
        var id = await SayAsync("DNK", "2024-03-01", "welcome");
        var withKey = (await SendAsync(HttpMethod.Get, $"/statements/{id}")).Headers.CacheControl!;
        (withKey.Private, withKey.NoCache, withKey.NoStore).ShouldBe((true, true, false));
        var anonymous = (await app.Host.Server.CreateClient().GetAsync("/countries")).Headers.CacheControl!;
        (anonymous.Private, anonymous.NoCache, anonymous.NoStore).ShouldBe((false, true, false));

        var (_, _, written) = await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(_topic, "DNK", "2024-04-01"));
        written.Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await SendAsync(HttpMethod.Get, $"/statements/{Guid.NewGuid()}")).Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await SendAsync(HttpMethod.Get, "/admin/projections")).Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await SendAsync(HttpMethod.Get, "/health/ready")).Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [BoundedTheory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task answers_are_compressed_when_the_client_accepts_it(string encoding)
    {
        await SayAsync("SWE", "2024-03-01", "support");
        var answer = await SendAsync(HttpMethod.Get, $"/statements?country=SWE&topic={_topic}", h => h.AcceptEncoding.ParseAdd(encoding));

        answer.Content.Headers.ContentEncoding.ShouldBe([encoding]);
        answer.Headers.Vary.ShouldContain("Accept-Encoding");
        await using var compressed = new MemoryStream(await BodyAsync(answer));
        await using Stream plain = encoding == "br"
            ? new BrotliStream(compressed, CompressionMode.Decompress)
            : new GZipStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(plain, Encoding.UTF8);
        JsonNode.Parse(await reader.ReadToEndAsync())!["items"]!.AsArray().Count.ShouldBe(1);

        (await SendAsync(HttpMethod.Get, $"/statements?country=SWE&topic={_topic}")).Content.Headers.ContentEncoding.ShouldBeEmpty();
    }

    [BoundedFact]
    public async Task paged_reads_link_to_their_next_page()
    {
        await SayAsync("EST", "2024-01-01", "support");
        await SayAsync("EST", "2024-02-01", "oppose");
        var third = await SayAsync("EST", "2024-03-01", "support");
        await app.Host.CorrectAsync(third, 1, new JsonObject { ["position"] = "states support again" });
        await app.WaitForProjectionsAsync();

        await FollowAsync($"/statements?country=EST&topic={_topic}&pageSize=2", "next", "cursor", pages: 2);
        await FollowAsync($"/countries/EST/positions/{_topic}/history?limit=2", "next", "cursor", pages: 2);
        await FollowAsync($"/countries/EST/positions/{_topic}/shifts?limit=1", "next", "cursor", pages: 2);
        await FollowAsync($"/shifts?country=EST&topic={_topic}&limit=1", "next", "cursor", pages: 2);
        await FollowAsync($"/statements/{third}/history?limit=1", "nextAfter", "after", pages: 2);
    }

    /// <summary>Follows Link rel="next" from page to page; each must match the body's continuation and the last has none.</summary>
    private async Task FollowAsync(string url, string field, string parameter, int pages)
    {
        for (var page = 1; ; page++)
        {
            var answer = await SendAsync(HttpMethod.Get, url);
            ((int)answer.StatusCode).ShouldBe(200, url);
            var next = JsonNode.Parse(await BodyAsync(answer))![field]?.ToString();
            var links = answer.Headers.TryGetValues("Link", out var values) ? values.ToArray() : [];
            if (page == pages)
            {
                next.ShouldBeNull(url);
                links.ShouldBeEmpty(url);
                return;
            }
            next.ShouldNotBeNull(url);
            var link = links.ShouldHaveSingleItem(url);
            link.ShouldEndWith("; rel=\"next\"");
            var target = link[1..link.IndexOf('>')];
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + target).Query)[parameter].ToString().ShouldBe(next);
            url = target;
        }
    }
}
