using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http;
using StatementTracker.Admin;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Statements.Reading;

public sealed record StatementPage(IReadOnlyList<Statement> Items, long Total, int Page, int PageSize);

/// <summary>
/// <c>GET /statements?country=&amp;topic=&amp;speaker=&amp;from=&amp;to=&amp;page=&amp;pageSize=</c>:
/// statements newest <c>statedOn</c> first. <c>from</c>/<c>to</c> take partial dates and include a
/// statement whose stated date starts within them. Retracted statements are left out unless
/// <c>status=retracted</c> or <c>status=all</c> asks for them.
/// </summary>
public static class ListStatementsEndpoint
{
    public const int DefaultPageSize = 20;
    public const string AnyStatus = "all";

    [WolverineGet("/statements")]
    public static async Task<IResult> Get(
        string? country, string? topic, string? speaker, string? from, string? to, string? status, string? page, string? pageSize,
        IQuerySession session, ProjectionRebuilds rebuilds, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var pageNumber = query.Int("page", page, 1, 1, 1_000_000);
        var size = query.Int("pageSize", pageSize, Math.Min(DefaultPageSize, limits.Value.MaxPageSize), 1, limits.Value.MaxPageSize);

        string? countryCode = null;
        if (!string.IsNullOrWhiteSpace(country) && (countryCode = Countries.Normalise(country)) is null)
            query.Reject("country", "Unknown country: use an ISO 3166-1 code or an English name.");
        if (!string.IsNullOrWhiteSpace(topic) && !TopicSlug.IsValid(topic))
            query.Reject("topic", "Must be a lowercase kebab-case topic slug.");
        if (speaker is { Length: > StatementRules.MaxNameLength })
            query.Reject("speaker", $"Must be at most {StatementRules.MaxNameLength} characters.");
        var fromDate = query.Date("from", from);
        var toDate = query.Date("to", to);
        var wanted = string.IsNullOrWhiteSpace(status) ? StatementStatus.Recorded : status.Trim().ToLowerInvariant();
        if (wanted is not (StatementStatus.Recorded or StatementStatus.Retracted or AnyStatus))
            query.Reject("status", $"Must be {StatementStatus.Recorded} (the default), {StatementStatus.Retracted} or {AnyStatus}.");
        if (!query.IsValid) return query.Problem.ToResult();
        if (await ProjectionReads.UnavailableWhileRebuildingAsync(rebuilds, session, nameof(Statement), cancellation) is { } unavailable)
            return unavailable;

        IQueryable<Statement> statements = session.Query<Statement>();
        if (wanted != AnyStatus) statements = statements.Where(s => s.Status == wanted);
        if (countryCode is not null) statements = statements.Where(s => s.Country == countryCode);
        if (!string.IsNullOrWhiteSpace(topic)) statements = statements.Where(s => s.Topics.Contains(topic));
        if (!string.IsNullOrWhiteSpace(speaker))
        {
            var name = speaker.Trim();
            statements = statements.Where(s => s.Speaker.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
        }
        if (fromDate is { } start) statements = statements.Where(s => s.StatedWithin.From >= start.FirstDay);
        if (toDate is { } end) statements = statements.Where(s => s.StatedWithin.From <= end.LastDay);

        var found = await statements
            .OrderByDescending(s => s.StatedWithin.From)
            .ThenByDescending(s => s.RecordedAt)
            .ToPagedListAsync(pageNumber, size, cancellation);
        return Results.Ok(new StatementPage(found.ToArray(), found.TotalItemCount, pageNumber, size));
    }
}
