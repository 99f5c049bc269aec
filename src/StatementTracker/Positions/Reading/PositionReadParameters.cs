using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions.Reading;

/// <summary>The query parameters position reads share: <c>asOf</c>, <c>knownAt</c>, page sizes and cursors.</summary>
public static class PositionReadParameters
{
    public const int DefaultPageSize = 50;

    public static PositionView View(this QueryParameters query, string? asOf, string? knownAt) =>
        new(query.Date("asOf", asOf), query.Instant("knownAt", knownAt));

    /// <summary>A page size: <see cref="DefaultPageSize"/> unless given, at most <see cref="LimitOptions.MaxHistoryLimit"/>.</summary>
    public static int PageSize(this QueryParameters query, string name, string? value, LimitOptions limits) =>
        query.Int(name, value, Math.Min(DefaultPageSize, limits.MaxHistoryLimit), 1, limits.MaxHistoryLimit);

    public static HistoryKey? HistoryCursor(this QueryParameters query, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        if (HistoryKey.FromCursor(cursor) is { } key) return key;
        query.Reject("cursor", "Not a cursor this service gave: use the 'next' value of the previous page as it is.");
        return null;
    }
}

/// <summary>What position reads check before they read: the country and the topic.</summary>
public static class PositionReadGuards
{
    public const string UnknownCountry = "Unknown country: use an ISO 3166-1 code (JPN, JP) or an English name (Japan).";
    public const string UnknownTopic = "No such topic: no statement has been recorded on it. Topics are lowercase kebab-case slugs such as china-russia-relations.";

    public static IResult? RefuseCountry(string code, out string country)
    {
        country = Countries.Normalise(code) ?? "";
        return country.Length == 0 ? Problems.NotFound(UnknownCountry).ToResult() : null;
    }

    public static async Task<IResult?> RefuseTopicAsync(IQuerySession session, string topic, CancellationToken cancellation) =>
        TopicSlug.IsValid(topic) && await PositionQueries.TopicExistsAsync(session, topic, cancellation)
            ? null
            : Problems.NotFound(UnknownTopic).ToResult();

    /// <summary>
    /// The same refusal after a read of the topic: one that found stances knows the topic exists and asks nothing
    /// more, so a topic read takes one query, not two.
    /// </summary>
    public static Task<IResult?> RefuseTopicAsync(IQuerySession session, string topic, bool found, CancellationToken cancellation) =>
        found ? Task.FromResult<IResult?>(null) : RefuseTopicAsync(session, topic, cancellation);

}
