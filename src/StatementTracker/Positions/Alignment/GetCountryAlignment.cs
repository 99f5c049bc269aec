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

public sealed record RankedCountry(string Country, string? CountryName, int CommonTopics, int SameFamily, int SameStance, double? Score);

public sealed record CountryAlignment(
    string Country, string? CountryName, PartialDate? AsOf, DateTimeOffset? KnownAt, int MinCommonTopics, IReadOnlyList<RankedCountry> Countries);

/// <summary>
/// <c>GET /countries/{code}/alignment</c>: every other country with at least <c>minCommonTopics</c> (default 3)
/// common topics, ranked by score, then by the number of common topics.
/// </summary>
public static class GetCountryAlignmentEndpoint
{
    public const int DefaultMinCommonTopics = 3;

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(CountryAlignment), 200)]
    [WolverineGet("/countries/{code}/alignment")]
    public static async Task<IResult> Get(
        string code, string? minCommonTopics, string? asOf, string? knownAt,
        IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        var min = query.Int("minCommonTopics", minCommonTopics, DefaultMinCommonTopics, 1, 10_000);
        if (!query.IsValid) return query.Problem.ToResult();
        if (PositionReadGuards.RefuseCountry(code, out var country) is { } unknown) return unknown;

        var agreements = await AlignmentQueries.AgreementsAsync(session, country, min, view, cancellation);
        return Results.Ok(new CountryAlignment(country, Countries.NameOf(country), view.AsOf, view.KnownAt, min, agreements
            .Select(a => new RankedCountry(a.Country, Countries.NameOf(a.Country), a.CommonTopics, a.SameFamily, a.SameStance, AlignmentRules.Score(a.SameFamily, a.CommonTopics)))
            .ToArray()));
    }
}
