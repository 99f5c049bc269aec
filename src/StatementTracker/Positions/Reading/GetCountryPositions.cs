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
        var (read, refusal) = await ParseAsync(code, topic: null, asOf, knownAt, historyLimit, session, rebuilds, limits.Value, cancellation);
        if (read is null) return refusal!;

        var topics = await PositionQueries.ForCountryAsync(session, read.Country, topic: null, read.View, read.Limit, cancellation);
        return Results.Ok(new CountryPositions(read.Country, Countries.NameOf(read.Country), read.View.AsOf, read.View.KnownAt, topics));
    }

    [WolverineGet("/countries/{code}/positions/{topic}")]
    public static async Task<IResult> GetOne(
        string code, string topic, string? asOf, string? knownAt, string? historyLimit,
        IQuerySession session, ProjectionRebuilds rebuilds, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var (read, refusal) = await ParseAsync(code, topic, asOf, knownAt, historyLimit, session, rebuilds, limits.Value, cancellation);
        if (read is null) return refusal!;

        var positions = await PositionQueries.ForCountryAsync(session, read.Country, topic, read.View, read.Limit, cancellation);
        return positions.Count == 0
            ? Problems.NotFound($"{read.Country} has no statements on this topic in this view.").ToResult()
            : Results.Ok(positions[0]);
    }

    private sealed record CountryRead(string Country, PositionView View, int Limit);

    /// <summary>What both reads check first: the parameters, the country, the topic, and that no rebuild runs.</summary>
    private static async Task<(CountryRead? Read, IResult? Refusal)> ParseAsync(
        string code, string? topic, string? asOf, string? knownAt, string? historyLimit,
        IQuerySession session, ProjectionRebuilds rebuilds, LimitOptions limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        var limit = query.HistoryLimit(historyLimit, limits);
        if (!query.IsValid) return (null, query.Problem.ToResult());
        if (Countries.Normalise(code) is not { } country)
            return (null, Problems.NotFound("Unknown country: use an ISO 3166-1 code or an English name.").ToResult());
        if (topic is not null && !TopicSlug.IsValid(topic))
            return (null, Problems.NotFound("No such topic: topics are lowercase kebab-case slugs such as china-russia-relations.").ToResult());
        if (await ProjectionReads.UnavailableWhileRebuildingAsync(rebuilds, session, PositionHistoryProjection.ProjectionName, cancellation) is { } unavailable)
            return (null, unavailable);
        return (new CountryRead(country, view, limit), null);
    }
}
