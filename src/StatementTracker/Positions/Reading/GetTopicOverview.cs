using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using StatementTracker.Operations;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

/// <summary>A country's current stance on the topic as the overview lists it.</summary>
public sealed record TopicCountry(
    string Country, string? CountryName, string Stance, string Family, IReadOnlyList<string> Targets,
    Guid StatementId, Speaker Speaker, string Position, bool StanceInferred, PartialDate StatedOn);

/// <summary>
/// Each country's current stance on a topic, grouped by stance (largest group first), with the number of
/// countries in each family.
/// </summary>
public sealed record TopicOverview(
    string Topic,
    PartialDate? AsOf,
    DateTimeOffset? KnownAt,
    int CountryCount,
    IReadOnlyDictionary<string, int> Families,
    IReadOnlyDictionary<string, IReadOnlyList<TopicCountry>> Stances);

/// <summary><c>GET /topics/{topic}/positions</c>, optionally <c>asOf</c> a stated date and as <c>knownAt</c> an earlier instant.</summary>
public static class GetTopicOverviewEndpoint
{
    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(TopicOverview), 200)]
    [WolverineGet("/topics/{topic}/positions")]
    public static async Task<IResult> Get(
        string topic, string? asOf, string? knownAt, IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        var stances = await PositionQueries.TopicStancesAsync(session, topic, view, cancellation);
        if (await PositionReadGuards.RefuseTopicAsync(session, topic, found: stances.Count > 0, cancellation) is { } unknown) return unknown;
        return Results.Ok(Overview(topic, view, stances));
    }

    public static TopicOverview Overview(string topic, PositionView view, IReadOnlyList<CountryStance> stances)
    {
        var countries = stances
            .Select(s => new TopicCountry(
                s.Country, Countries.NameOf(s.Country), s.Entry.Stance, s.Entry.Family, s.Entry.Targets,
                s.Entry.StatementId, s.Entry.Speaker, s.Entry.Position, s.Entry.StanceInferred, s.Entry.StatedOn))
            .ToArray();
        return new TopicOverview(
            topic,
            view.AsOf,
            view.KnownAt,
            countries.Length,
            StanceFamilies.Codes.ToDictionary(family => family, family => countries.Count(c => c.Family == family)),
            countries
                .GroupBy(c => c.Stance)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<TopicCountry>)g.OrderBy(c => c.Country, StringComparer.Ordinal).ToArray()));
    }
}
