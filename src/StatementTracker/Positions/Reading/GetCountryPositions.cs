using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using StatementTracker.Operations;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

/// <summary>A country's summary: per topic, where it stands now, how much history is behind it, and its last shift.</summary>
public sealed record CountryPositions(
    string Country, string? CountryName, PartialDate? AsOf, DateTimeOffset? KnownAt, IReadOnlyList<TopicSummary> Topics);

/// <summary>
/// <c>GET /countries/{code}/positions</c>: for each topic the country has spoken on, its current entry (the
/// latest substantive one), the totals and the last shift; optionally <c>asOf</c> a stated date and as
/// <c>knownAt</c> an earlier instant. Its size grows with the topics, never with the history.
/// </summary>
public static class GetCountryPositionsEndpoint
{
    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(CountryPositions), 200)]
    [WolverineGet("/countries/{code}/positions")]
    public static async Task<IResult> Get(
        string code, string? asOf, string? knownAt, IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        if (PositionReadGuards.RefuseCountry(code, out var country) is { } unknown) return unknown;

        var topics = await PositionQueries.SummariesAsync(session, country, topic: null, view, cancellation);
        return Results.Ok(new CountryPositions(country, Countries.NameOf(country), view.AsOf, view.KnownAt, topics));
    }
}
