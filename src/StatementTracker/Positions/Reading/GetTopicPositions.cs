using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

/// <summary>Each country's current stance on a topic, grouped by stance.</summary>
public sealed record TopicOverview(
    string Topic, PartialDate? AsOf, DateTimeOffset? KnownAt, int CountryCount, IReadOnlyDictionary<string, IReadOnlyList<CountryStance>> Stances);

/// <summary><c>GET /topics/{topic}/positions</c>, optionally <c>asOf</c> a stated date and as <c>knownAt</c> an earlier instant.</summary>
public static class GetTopicPositionsEndpoint
{
    [WolverineGet("/topics/{topic}/positions")]
    public static async Task<IResult> Get(
        string topic, string? asOf, string? knownAt, IQuerySession session, ProjectionRebuilds rebuilds, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        if (!TopicSlug.IsValid(topic)) return Problems.NotFound("No such topic: topics are lowercase kebab-case slugs such as china-russia-relations.").ToResult();
        if (await ProjectionReads.UnavailableWhileRebuildingAsync(rebuilds, session, PositionHistoryProjection.ProjectionName, cancellation) is { } unavailable)
            return unavailable;

        var stances = await PositionQueries.ForTopicAsync(session, topic, view, cancellation);
        return Results.Ok(Overview(topic, view, stances));
    }

    /// <summary>Largest group first; countries in code order within a group.</summary>
    public static TopicOverview Overview(string topic, PositionView view, IReadOnlyList<CountryStance> stances) => new(
        topic,
        view.AsOf,
        view.KnownAt,
        stances.Count,
        stances
            .GroupBy(s => s.Stance)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CountryStance>)g.OrderBy(s => s.Country, StringComparer.Ordinal).ToArray()));
}
