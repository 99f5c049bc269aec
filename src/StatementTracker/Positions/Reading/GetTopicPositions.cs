using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

/// <summary>Each country's current stance on a topic, grouped by stance.</summary>
public sealed record TopicOverview(string Topic, int CountryCount, IReadOnlyDictionary<string, IReadOnlyList<CountryStance>> Stances);

public static class GetTopicPositionsEndpoint
{
    [WolverineGet("/topics/{topic}/positions")]
    public static async Task<IResult> Get(string topic, IQuerySession session, CancellationToken cancellation)
    {
        if (!TopicSlug.IsValid(topic)) return Problems.NotFound($"'{topic}' is not a topic slug.").ToResult();

        var stances = await PositionQueries.ForTopicAsync(session, topic, cancellation);
        return Results.Ok(Overview(topic, stances));
    }

    /// <summary>Largest group first; countries in code order within a group.</summary>
    public static TopicOverview Overview(string topic, IReadOnlyList<CountryStance> stances) => new(
        topic,
        stances.Count,
        stances
            .GroupBy(s => s.Stance)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CountryStance>)g.OrderBy(s => s.Country, StringComparer.Ordinal).ToArray()));
}
