using System.Text.Json.Nodes;
using Alba;
using Shouldly;

namespace StatementTracker.Tests.Support;

/// <summary>The statement endpoints as a test uses them: each call asserts the status it expects.</summary>
public static class StatementApi
{
    public static async Task<Guid> RecordAsync(this IAlbaHost host, JsonObject body)
    {
        var (status, answer, _) = await host.PostJsonAsync("/statements", body);
        status.ShouldBe(201, answer?.ToJsonString());
        return answer!["id"]!.GetValue<Guid>();
    }

    public static async Task<long> CorrectAsync(this IAlbaHost host, Guid id, long expectedVersion, JsonObject changes, string reason = "corrected")
    {
        changes = changes.With("expectedVersion", expectedVersion).With("reason", reason);
        var (status, answer, _) = await host.PostJsonAsync($"/statements/{id}/corrections", changes);
        status.ShouldBe(200, answer?.ToJsonString());
        return answer!["version"]!.GetValue<long>();
    }

    public static async Task<long> RetractAsync(this IAlbaHost host, Guid id, string reason = "misattributed")
    {
        var (status, answer, _) = await host.PostJsonAsync($"/statements/{id}/retraction", new JsonObject { ["reason"] = reason });
        status.ShouldBe(200, answer?.ToJsonString());
        return answer!["version"]!.GetValue<long>();
    }
}
