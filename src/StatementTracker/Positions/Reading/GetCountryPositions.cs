using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

public sealed record CountryPositions(string Country, string? CountryName, IReadOnlyList<TopicPosition> Topics);

/// <summary>
/// <c>GET /countries/{code}/positions</c> and <c>GET /countries/{code}/positions/{topic}</c>:
/// for each topic, the current position, its history and the shifts in stance.
/// </summary>
public static class GetCountryPositionsEndpoint
{
    public const int DefaultHistoryLimit = 1000;
    public const int MaxHistoryLimit = 10_000;

    [WolverineGet("/countries/{code}/positions")]
    public static async Task<IResult> GetAll(string code, string? historyLimit, IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var limit = query.Int("historyLimit", historyLimit, DefaultHistoryLimit, 1, MaxHistoryLimit);
        if (!query.IsValid) return query.Problem.ToResult();
        if (Countries.Normalise(code) is not { } country) return UnknownCountry(code);

        var topics = await PositionQueries.ForCountryAsync(session, country, topic: null, limit, cancellation);
        return Results.Ok(new CountryPositions(country, Countries.NameOf(country), topics));
    }

    [WolverineGet("/countries/{code}/positions/{topic}")]
    public static async Task<IResult> GetOne(string code, string topic, string? historyLimit, IQuerySession session, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var limit = query.Int("historyLimit", historyLimit, DefaultHistoryLimit, 1, MaxHistoryLimit);
        if (!query.IsValid) return query.Problem.ToResult();
        if (Countries.Normalise(code) is not { } country) return UnknownCountry(code);
        if (!TopicSlug.IsValid(topic)) return Problems.NotFound($"'{topic}' is not a topic slug.").ToResult();

        var positions = await PositionQueries.ForCountryAsync(session, country, topic, limit, cancellation);
        return positions.Count == 0
            ? Problems.NotFound($"{country} has no recorded statements on '{topic}'.").ToResult()
            : Results.Ok(positions[0]);
    }

    private static IResult UnknownCountry(string code) =>
        Problems.NotFound($"Unknown country '{code}': use an ISO 3166-1 code or an English name.").ToResult();
}
