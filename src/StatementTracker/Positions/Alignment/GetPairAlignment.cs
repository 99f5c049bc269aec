using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using StatementTracker.Operations;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Positions.Reading;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Alignment;

public sealed record TopicComparison(string Topic, AlignedStance A, AlignedStance B, bool Comparable, bool? SameFamily, bool? SameStance);

/// <param name="Score"><c>sameFamily / commonTopics</c>; null when there are no common topics.</param>
/// <param name="Topics">Every topic on which both have a substantive current stance, comparable or not.</param>
public sealed record PairAlignment(
    string A, string? AName, string B, string? BName, PartialDate? AsOf, DateTimeOffset? KnownAt, IReadOnlyList<string>? OnlyTopics,
    int CommonTopics, int SameFamily, int SameStance, double? Score, IReadOnlyList<TopicComparison> Topics);

/// <summary>
/// <c>GET /countries/{a}/alignment/{b}</c>: how two countries' current substantive stances compare, topic by
/// topic, and the score over the comparable ones. <c>topics=</c> (comma-separated) restricts the topics.
/// </summary>
public static class GetPairAlignmentEndpoint
{
    public const int MaxTopics = 100;

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(PairAlignment), 200)]
    [WolverineGet("/countries/{a}/alignment/{b}")]
    public static async Task<IResult> Get(
        string a, string b, string? topics, string? asOf, string? knownAt,
        IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        var only = TopicList(query, topics);
        if (!query.IsValid) return query.Problem.ToResult();
        if (PositionReadGuards.RefuseCountry(a, out var first) is { } unknownA) return unknownA;
        if (PositionReadGuards.RefuseCountry(b, out var second) is { } unknownB) return unknownB;

        var stancesA = await PositionQueries.SubstantiveStancesAsync(session, first, only, view, cancellation);
        // Only the topics both have count, so the second country is read on the first one's topics alone (a country
        // with stances on 500 topics beside one with 20 reads 20 of them).
        var stancesB = stancesA.Count == 0 ? new Dictionary<string, HistoryEntry>()
            : await PositionQueries.SubstantiveStancesAsync(session, second, stancesA.Keys.ToArray(), view, cancellation);
        return Results.Ok(Align(first, second, view, only, stancesA, stancesB));
    }

    public static PairAlignment Align(
        string a, string b, PositionView view, IReadOnlyList<string>? only,
        IReadOnlyDictionary<string, HistoryEntry> stancesA, IReadOnlyDictionary<string, HistoryEntry> stancesB)
    {
        var topics = stancesA.Keys.Intersect(stancesB.Keys).Order(StringComparer.Ordinal).Select(topic =>
        {
            var (sa, sb) = (AlignedStance.Of(stancesA[topic]), AlignedStance.Of(stancesB[topic]));
            var comparison = AlignmentRules.Compare(sa, sb);
            return new TopicComparison(topic, sa, sb, comparison.Comparable, comparison.SameFamily, comparison.SameStance);
        }).ToArray();
        var common = topics.Count(t => t.Comparable);
        var sameFamily = topics.Count(t => t.SameFamily == true);
        return new PairAlignment(
            a, Countries.NameOf(a), b, Countries.NameOf(b), view.AsOf, view.KnownAt, only,
            common, sameFamily, topics.Count(t => t.SameStance == true), AlignmentRules.Score(sameFamily, common), topics);
    }

    private static IReadOnlyList<string>? TopicList(QueryParameters query, string? topics)
    {
        if (string.IsNullOrWhiteSpace(topics)) return null;
        var list = topics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (list.Length == 0 || list.Length > MaxTopics || !list.All(TopicSlug.IsValid))
        {
            query.Reject("topics", $"Must be a comma-separated list of 1 to {MaxTopics} topic slugs such as taiwan,south-china-sea.");
            return null;
        }
        return list;
    }
}
