using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Alba;

namespace StatementTracker.Tests.Support;

public static class HttpExtensions
{
    public static async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        this IAlbaHost host, HttpMethod method, string url, string? body = null, string contentType = "application/json",
        string? apiKey = TestKeys.Editor)
    {
        using var client = host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostJsonAsync(
        this IAlbaHost host, string url, JsonNode body, string? apiKey = TestKeys.Editor) =>
        host.SendAsync(HttpMethod.Post, url, body.ToJsonString(), apiKey: apiKey);

    public static async Task<JsonNode> GetJsonAsync(this IAlbaHost host, string url, int expectedStatus = 200, string? apiKey = TestKeys.Editor)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Get, url, apiKey: apiKey);
        Shouldly.ShouldBeTestExtensions.ShouldBe(status, expectedStatus, $"GET {url} answered {body}");
        return body!;
    }
}
