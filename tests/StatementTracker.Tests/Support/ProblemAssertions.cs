using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.Tests.Support;

/// <summary>What every refusal shares: the status, as an <c>application/problem+json</c> body that repeats it.</summary>
public static class ProblemAssertions
{
    /// <summary>Asserts the answer is a problem with <paramref name="status"/>; returns its body for further checks.</summary>
    public static JsonNode ShouldBeProblem(this (int Status, JsonNode? Body, HttpResponseMessage Response) answer, int status)
    {
        answer.Status.ShouldBe(status, answer.Body?.ToJsonString());
        answer.Response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        answer.Body.ShouldNotBeNull();
        answer.Body["status"]!.GetValue<int>().ShouldBe(status);
        return answer.Body;
    }

    public static async Task<JsonNode> ShouldBeProblem(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response).ShouldBeProblem(status);
    }

    /// <summary>The fields a validation problem names, in order.</summary>
    public static string[] ErrorFields(this JsonNode problem) =>
        problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();
}
