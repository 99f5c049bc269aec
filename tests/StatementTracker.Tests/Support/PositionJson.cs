using System.Text.Json.Nodes;

namespace StatementTracker.Tests.Support;

/// <summary>Position answers read the way the tests compare them.</summary>
public static class PositionJson
{
    /// <summary>"from->to@statedOn:statementId" for each shift in the list.</summary>
    public static string[] Shifts(JsonNode? shifts) =>
        shifts!.AsArray().Select(s => $"{s!["from"]!["stance"]}->{s["to"]!["stance"]}@{s["statedOn"]}:{s["statementId"]}").ToArray();

    public static string[] Column(JsonNode? list, string field) =>
        list!.AsArray().Select(e => e![field]!.ToString()).ToArray();
}
