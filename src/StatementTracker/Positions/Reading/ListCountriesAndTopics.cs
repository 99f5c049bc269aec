using Microsoft.AspNetCore.Mvc;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

/// <summary>A country the tracker holds present positions of: on how many topics, with how many history entries in all.</summary>
public sealed record TrackedCountry(string Code, string? Name, int Topics, int Entries);

/// <summary>A topic the tracker holds present positions on: of how many countries, with how many history entries in all.</summary>
public sealed record TrackedTopic(string Topic, int Countries, int Entries);

/// <summary>
/// <c>GET /countries</c> and <c>GET /topics</c>: what the tracker holds positions on now, from the
/// summaries the projection keeps (one row per country and topic), for pickers and overviews.
/// </summary>
public static class ListCountriesAndTopicsEndpoints
{
    [ProducesResponseType(typeof(TrackedCountry[]), 200)]
    [WolverineGet("/countries")]
    public static async Task<IResult> Countries(IQuerySession session, CancellationToken cancellation)
    {
        var (_, summaries) = PositionQueries.Tables(session);
        var countries = await session.ListAsync(
            $"select country, count(*)::int as topics, sum(history_total)::int as entries from {summaries} group by country order by country",
            new { },
            row => new TrackedCountry(row.Get<string>("country"), Vocabulary.Countries.NameOf(row.Get<string>("country")), row.Get<int>("topics"), row.Get<int>("entries")),
            cancellation);
        return Results.Ok(countries);
    }

    [ProducesResponseType(typeof(TrackedTopic[]), 200)]
    [WolverineGet("/topics")]
    public static async Task<IResult> Topics(IQuerySession session, CancellationToken cancellation)
    {
        var (_, summaries) = PositionQueries.Tables(session);
        var topics = await session.ListAsync(
            $"select topic, count(*)::int as countries, sum(history_total)::int as entries from {summaries} group by topic order by topic",
            new { },
            row => new TrackedTopic(row.Get<string>("topic"), row.Get<int>("countries"), row.Get<int>("entries")),
            cancellation);
        return Results.Ok(topics);
    }
}
