using Microsoft.AspNetCore.Mvc;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Operations.Http;
using StatementTracker.Positions.Reading;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Shifts;

/// <summary>
/// <c>GET /shifts?country=&amp;topic=&amp;since=&amp;cursor=&amp;limit=</c>: shifts across the tracker, newest stated
/// first, paged by an opaque cursor (<c>next</c>); <c>GET /shifts.atom</c> gives the same as an Atom 1.0 feed.
/// </summary>
public static class GetShiftsEndpoint
{
    [ProducesResponseType(typeof(ShiftFeedPage), 200)]
    [WolverineGet("/shifts")]
    public static async Task<IResult> Get(
        string? country, string? topic, string? since, string? cursor, string? limit,
        IQuerySession session, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var (read, refusal) = await ParseAsync(country, topic, since, cursor, limit, session, limits.Value, cancellation);
        if (read is null) return refusal!;
        var page = await ShiftFeed.ReadAsync(session, read.Filter, read.After, read.Limit, cancellation);
        return Results.Ok(page).WithNextLink("cursor", page.Next);
    }

    [ProducesResponseType(typeof(string), 200, "application/atom+xml")]
    [WolverineGet("/shifts.atom")]
    public static async Task<IResult> GetAtom(
        string? country, string? topic, string? since, string? cursor, string? limit, HttpRequest request,
        IQuerySession session, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var (read, refusal) = await ParseAsync(country, topic, since, cursor, limit, session, limits.Value, cancellation);
        if (read is null) return refusal!;
        var page = await ShiftFeed.ReadAsync(session, read.Filter, read.After, read.Limit, cancellation);
        return Results.Bytes(ShiftAtomFeed.Write(page, read.Filter, BaseUri(request)), ShiftAtomFeed.MediaType);
    }

    private sealed record FeedRead(ShiftFilter Filter, FeedKey? After, int Limit);

    private static async Task<(FeedRead? Read, IResult? Refusal)> ParseAsync(
        string? country, string? topic, string? since, string? cursor, string? limit,
        IQuerySession session, LimitOptions limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        string? code = null;
        if (!string.IsNullOrWhiteSpace(country) && (code = Countries.Normalise(country)) is null)
            query.Reject("country", PositionReadGuards.UnknownCountry);
        if (!string.IsNullOrWhiteSpace(topic) && !TopicSlug.IsValid(topic))
            query.Reject("topic", "Must be a lowercase kebab-case topic slug.");
        var sinceDate = query.Date("since", since);
        var size = query.PageSize("limit", limit, limits);
        FeedKey? after = null;
        if (!string.IsNullOrEmpty(cursor) && (after = FeedKey.FromCursor(cursor)) is null)
            query.Reject("cursor", "Not a cursor this service gave: use the 'next' value of the previous page as it is.");
        if (!query.IsValid) return (null, query.Problem.ToResult());
        return (new FeedRead(new ShiftFilter(code, string.IsNullOrWhiteSpace(topic) ? null : topic, sinceDate), after, size), null);
    }

    private static Uri BaseUri(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}/");
}
