using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

public sealed record CountryPositions(
    string Country, string? CountryName, PartialDate? AsOf, DateTimeOffset? KnownAt, IReadOnlyList<TopicPosition> Topics);

/// <summary>
/// <c>GET /countries/{code}/positions</c> and <c>GET /countries/{code}/positions/{topic}</c>: for each
/// topic, the current position, its history and the shifts in stance; optionally <c>asOf</c> a stated
/// date and as <c>knownAt</c> an earlier instant.
/// </summary>
public static class GetCountryPositionsEndpoint
{
    [WolverineGet("/countries/{code}/positions")]
    public static async Task<IResult> GetAll(
        string code, string? asOf, string? knownAt, string? historyLimit,
        IQuerySession session, ProjectionRebuilds rebuilds, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        var limit = query.HistoryLimit(historyLimit, limits.Value);
        if (!query.IsValid) return query.Problem.ToResult();
        if (Countries.Normalise(code) is not { } country) return UnknownCountry(code);
        if (await ProjectionReads.UnavailableWhileRebuildingAsync(rebuilds, session, PositionHistoryProjection.ProjectionName, cancellation) is { } unavailable)
            return unavailable;

        var topics = await PositionQueries.ForCountryAsync(session, country, topic: null, view, limit, cancellation);
        return Results.Ok(new CountryPositions(country, Countries.NameOf(country), view.AsOf, view.KnownAt, topics));
    }

    [WolverineGet("/countries/{code}/positions/{topic}")]
    public static async Task<IResult> GetOne(
        string code, string topic, string? asOf, string? knownAt, string? historyLimit,
        IQuerySession session, ProjectionRebuilds rebuilds, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        var limit = query.HistoryLimit(historyLimit, limits.Value);
        if (!query.IsValid) return query.Problem.ToResult();
        if (Countries.Normalise(code) is not { } country) return UnknownCountry(code);
        if (!TopicSlug.IsValid(topic)) return Problems.NotFound("No such topic: topics are lowercase kebab-case slugs such as china-russia-relations.").ToResult();
        if (await ProjectionReads.UnavailableWhileRebuildingAsync(rebuilds, session, PositionHistoryProjection.ProjectionName, cancellation) is { } unavailable)
            return unavailable;

        var positions = await PositionQueries.ForCountryAsync(session, country, topic, view, limit, cancellation);
        return positions.Count == 0
            ? Problems.NotFound($"{country} has no statements on '{topic}' in this view.").ToResult()
            : Results.Ok(positions[0]);
    }

    private static IResult UnknownCountry(string code) =>
        Problems.NotFound("Unknown country: use an ISO 3166-1 code or an English name.").ToResult();
}
