using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StatementTracker.Admin;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Operations.Http;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Positions.Reading;

/// <summary>
/// A country's position on one topic: its summary, with the latest page of its history and of its shifts
/// (each oldest first); <c>historyNext</c> and <c>shiftsNext</c> lead to the pages before.
/// </summary>
public sealed record TopicPosition(
    string Country,
    string? CountryName,
    string Topic,
    PartialDate? AsOf,
    DateTimeOffset? KnownAt,
    HistoryEntry Current,
    int HistoryTotal,
    int ShiftsTotal,
    Shift? LastShift,
    IReadOnlyList<HistoryEntry> History,
    string? HistoryNext,
    IReadOnlyList<Shift> Shifts,
    string? ShiftsNext);

/// <summary>
/// <c>GET /countries/{code}/positions/{topic}</c> (<c>?asOf=&amp;knownAt=&amp;historyLimit=</c>), and its history and shifts
/// page by page: <c>.../history?cursor=&amp;limit=</c>, <c>.../shifts?cursor=&amp;limit=</c>.
/// </summary>
public static class GetTopicPositionEndpoint
{
    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(TopicPosition), 200)]
    [WolverineGet("/countries/{code}/positions/{topic}")]
    public static async Task<IResult> Get(
        string code, string topic, string? asOf, string? knownAt, string? historyLimit,
        IQuerySession session, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        var limit = query.PageSize("historyLimit", historyLimit, limits.Value);
        if (!query.IsValid) return query.Problem.ToResult();
        if (PositionReadGuards.RefuseCountry(code, out var country) is { } unknown) return unknown;

        var summary = (await PositionQueries.SummariesAsync(session, country, topic, view, cancellation)).SingleOrDefault();
        if (summary is null) return NoHistory(country);
        var history = await PositionQueries.HistoryAsync(session, country, topic, view, before: null, limit, cancellation);
        var shifts = await PositionQueries.ShiftsAsync(session, country, topic, view, before: null, limit, cancellation);
        return Results.Ok(new TopicPosition(
            country, Countries.NameOf(country), topic, view.AsOf, view.KnownAt, summary.Current, summary.HistoryTotal, summary.ShiftsTotal,
            summary.LastShift, history.Items, history.Next, shifts.Items, shifts.Next));
    }

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(Page<HistoryEntry>), 200)]
    [WolverineGet("/countries/{code}/positions/{topic}/history")]
    public static Task<IResult> GetHistory(
        string code, string topic, string? asOf, string? knownAt, string? cursor, string? limit,
        IQuerySession session, IOptions<LimitOptions> limits, CancellationToken cancellation) =>
        PageAsync(code, topic, asOf, knownAt, cursor, limit, session, limits.Value, PositionQueries.HistoryAsync, cancellation);

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(Page<Shift>), 200)]
    [WolverineGet("/countries/{code}/positions/{topic}/shifts")]
    public static Task<IResult> GetShifts(
        string code, string topic, string? asOf, string? knownAt, string? cursor, string? limit,
        IQuerySession session, IOptions<LimitOptions> limits, CancellationToken cancellation) =>
        PageAsync(code, topic, asOf, knownAt, cursor, limit, session, limits.Value, PositionQueries.ShiftsAsync, cancellation);

    private delegate Task<Page<T>> PageQuery<T>(
        IQuerySession session, string country, string topic, PositionView view, HistoryKey? before, int limit, CancellationToken cancellation);

    private static async Task<IResult> PageAsync<T>(
        string code, string topic, string? asOf, string? knownAt, string? cursor, string? limit,
        IQuerySession session, LimitOptions limits, PageQuery<T> read, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var view = query.View(asOf, knownAt);
        var size = query.PageSize("limit", limit, limits);
        var before = query.HistoryCursor(cursor);
        if (!query.IsValid) return query.Problem.ToResult();
        if (PositionReadGuards.RefuseCountry(code, out var country) is { } unknown) return unknown;

        var page = await read(session, country, topic, view, before, size, cancellation);
        return page.Items.Count == 0 && before is null ? NoHistory(country) : Results.Ok(page).WithNextLink("cursor", page.Next);
    }

    private static IResult NoHistory(string country) =>
        Problems.NotFound($"{country} has no statements on this topic in this view.").ToResult();
}
