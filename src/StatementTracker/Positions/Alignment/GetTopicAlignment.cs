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

public sealed record AlignedCountry(string Country, string? CountryName, string Stance, string Family, IReadOnlyList<string> Targets, Guid StatementId);

public sealed record AlignedPair(string A, string B, bool Comparable, bool? SameFamily, bool? SameStance);

/// <summary>Countries that share a family and are directed at the same targets: the blocs on a topic.</summary>
public sealed record AlignmentGroup(string Family, IReadOnlyList<string> Targets, IReadOnlyList<string> Countries);

public sealed record TopicAlignment(
    string Topic, PartialDate? AsOf, DateTimeOffset? KnownAt,
    IReadOnlyList<AlignedCountry> Countries, IReadOnlyList<AlignedPair> Pairs, IReadOnlyList<AlignmentGroup> Groups);

/// <summary>
/// <c>GET /topics/{topic}/alignment</c>: every country with a substantive current stance on the topic, every
/// pair of them compared, and the countries grouped by family and targets. Takes <c>asOf</c> and <c>knownAt</c>.
/// </summary>
public static class GetTopicAlignmentEndpoint
{
    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(TopicAlignment), 200)]
    [WolverineGet("/topics/{topic}/alignment")]
    public static async Task<IResult> Get(
        string topic, string? asOf, string? knownAt, IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        var stances = await PositionQueries.TopicStancesAsync(session, topic, view, cancellation);
        if (await PositionReadGuards.RefuseTopicAsync(session, topic, found: stances.Count > 0, cancellation) is { } unknown) return unknown;
        return Results.Ok(Align(topic, view, stances));
    }

    public static TopicAlignment Align(string topic, PositionView view, IReadOnlyList<CountryStance> stances)
    {
        var countries = stances
            .Where(s => s.Entry.IsSubstantive)
            .Select(s => new AlignedCountry(s.Country, Countries.NameOf(s.Country), s.Entry.Stance, s.Entry.Family, s.Entry.Targets, s.Entry.StatementId))
            .OrderBy(c => c.Country, StringComparer.Ordinal)
            .ToArray();
        var pairs = new List<AlignedPair>();
        for (var i = 0; i < countries.Length; i++)
        {
            for (var j = i + 1; j < countries.Length; j++)
            {
                var (a, b) = (countries[i], countries[j]);
                var comparison = AlignmentRules.Compare(new AlignedStance(a.Stance, a.Family, a.Targets), new AlignedStance(b.Stance, b.Family, b.Targets));
                pairs.Add(new AlignedPair(a.Country, b.Country, comparison.Comparable, comparison.SameFamily, comparison.SameStance));
            }
        }
        var groups = countries
            .GroupBy(c => (c.Family, Targets: Targets.Key(c.Targets)))
            .Select(g => new AlignmentGroup(g.Key.Family, g.First().Targets, g.Select(c => c.Country).ToArray()))
            .OrderByDescending(g => g.Countries.Count).ThenBy(g => g.Family, StringComparer.Ordinal).ThenBy(g => Targets.Key(g.Targets), StringComparer.Ordinal)
            .ToArray();
        return new TopicAlignment(topic, view.AsOf, view.KnownAt, countries, pairs, groups);
    }
}
