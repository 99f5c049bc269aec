using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Operations.Http;
using StatementTracker.Statements.Listing;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Statements.Reading;

/// <summary>
/// A page of statements, newest stated first. <paramref name="Next"/> is the cursor of the following page
/// (null on the last). <paramref name="Total"/> is given only when asked for (<c>count=exact</c>), counted up
/// to a cap; <paramref name="TotalIsLowerBound"/> says the count stopped at the cap.
/// </summary>
public sealed record StatementPage(IReadOnlyList<Statement> Items, int PageSize, string? Next, long? Total, bool? TotalIsLowerBound);

/// <summary>Which statements a list shows.</summary>
public sealed record StatementFilter(
    string? Country, string? Topic, string? Speaker, PartialDate? From, PartialDate? To, string Status, string? Dataset = null)
{
    /// <summary>Reads the list's filter parameters, each refusal named in <paramref name="query"/>.</summary>
    public static StatementFilter Read(
        QueryParameters query, string? country, string? topic, string? speaker, string? from, string? to, string? status, string? dataset)
    {
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
        if (wanted is not (StatementStatus.Recorded or StatementStatus.Retracted or ListStatementsEndpoint.AnyStatus))
            query.Reject("status", $"Must be {StatementStatus.Recorded} (the default), {StatementStatus.Retracted} or {ListStatementsEndpoint.AnyStatus}.");
        var datasetName = string.IsNullOrWhiteSpace(dataset) ? null : dataset.Trim().ToLowerInvariant();
        if (datasetName is not null && (datasetName.Length > StatementRules.MaxDatasetLength || !TopicSlug.IsValid(datasetName)))
            query.Reject("dataset", "Must be a dataset name such as icews, gdelt or polecat.");
        return new StatementFilter(countryCode, string.IsNullOrWhiteSpace(topic) ? null : topic,
            speaker?.Trim() is { Length: > 0 } name ? name : null, fromDate, toDate, wanted, datasetName);
    }
}

/// <summary>
/// <c>GET /statements?country=&amp;topic=&amp;speaker=&amp;from=&amp;to=&amp;status=&amp;cursor=&amp;pageSize=&amp;count=</c>:
/// statements newest <c>statedOn</c> first, paged by an opaque keyset cursor. <c>from</c>/<c>to</c> take
/// partial dates and include a statement whose stated date starts within them. Retracted statements are
/// left out unless <c>status=retracted</c> or <c>status=all</c> asks for them.
/// </summary>
public static class ListStatementsEndpoint
{
    public const int DefaultPageSize = 20;
    public const string AnyStatus = "all";
    public const string ExactCount = "exact";

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(StatementPage), 200)]
    [WolverineGet("/statements")]
    public static async Task<IResult> Get(
        string? country, string? topic, string? speaker, string? from, string? to, string? status, string? dataset, string? cursor, string? pageSize,
        string? count, string? page, IQuerySession session, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        if (page is not null)
            query.Reject("page", "Pages are numbered no more: pass the previous page's 'next' as cursor (the first page needs none).");
        var size = query.Int("pageSize", pageSize, Math.Min(DefaultPageSize, limits.Value.MaxPageSize), 1, limits.Value.MaxPageSize);
        var filter = StatementFilter.Read(query, country, topic, speaker, from, to, status, dataset);
        if (!string.IsNullOrEmpty(count) && count != ExactCount)
            query.Reject("count", $"Must be {ExactCount} (or left out: no total).");
        var after = string.IsNullOrEmpty(cursor) ? null : ListKey.FromCursor(cursor);
        if (!string.IsNullOrEmpty(cursor) && after is null)
            query.Reject("cursor", "Not a cursor this service gave: use the 'next' value of the previous page as it is.");
        if (!query.IsValid) return query.Problem.ToResult();

        var (items, next) = await StatementList.PageAsync(session, filter, after, size, cancellation);
        var (total, capped) = count == ExactCount ? await StatementList.CountAsync(session, filter, limits.Value.MaxExactCount, cancellation) : (null, null);
        IResult answer = new StoredJsonPage(items, writer =>
        {
            writer.WriteNumber("pageSize", size);
            writer.WriteString("next", next?.ToCursor());
            if (total is not null)
            {
                writer.WriteNumber("total", total.Value);
                writer.WriteBoolean("totalIsLowerBound", capped!.Value);
            }
        });
        return answer.WithNextLink("cursor", next?.ToCursor());
    }
}

/// <summary>Where a statement sits in the list's order: stated date, then recording order, both descending.</summary>
public sealed record ListKey(DateOnly StatedFrom, long RecordedSeq)
{
    public string ToCursor() => Cursor.Encode(StatedFrom.DayNumber.ToString(), RecordedSeq.ToString());

    public static ListKey? FromCursor(string cursor) =>
        Cursor.Decode(cursor, 2) is [var day, var seq] && int.TryParse(day, out var dayNumber) && dayNumber is >= 0 and <= 3652058
        && long.TryParse(seq, out var recordedSeq)
            ? new ListKey(DateOnly.FromDayNumber(dayNumber), recordedSeq)
            : null;
}

/// <summary>The statement list in SQL: every filter and the page size apply in the query.</summary>
public static class StatementList
{
    /// <summary>A page of statements as stored (JSON text), and the key to continue after it.</summary>
    public static async Task<(IReadOnlyList<string> Items, ListKey? Next)> PageAsync(
        IQuerySession session, StatementFilter filter, ListKey? after, int size, CancellationToken cancellation)
    {
        var (conditions, parameters) = Conditions(filter);
        if (after is not null)
        {
            conditions.Add("(l.stated_from, l.recorded_seq) < (@after_from, @after_seq)");
            parameters["after_from"] = after.StatedFrom;
            parameters["after_seq"] = after.RecordedSeq;
        }
        parameters["limit"] = size + 1;
        var rows = await session.ListAsync(
            $"""
             select d.data::text as data, l.stated_from, l.recorded_seq
             from {Table(session)} l join {Documents(session)} d on d.id = l.id
             where {string.Join(" and ", conditions)}
             order by l.stated_from desc, l.recorded_seq desc
             limit @limit
             """,
            parameters,
            row => (Statement: row.Get<string>("data"), Key: new ListKey(row.Get<DateOnly>("stated_from"), row.Get<long>("recorded_seq"))),
            cancellation);
        var page = rows.Take(size).ToArray();
        return (page.Select(r => r.Statement).ToArray(), rows.Count > size ? page[^1].Key : null);
    }

    /// <summary>How many statements the filter matches, counted up to <paramref name="cap"/>.</summary>
    public static async Task<(long? Total, bool? Capped)> CountAsync(IQuerySession session, StatementFilter filter, int cap, CancellationToken cancellation)
    {
        var (conditions, parameters) = Conditions(filter);
        parameters["cap"] = cap + 1;
        var counted = await session.ScalarAsync<long>(
            $"select count(*) from (select 1 from {Table(session)} l where {string.Join(" and ", conditions)} limit @cap) matched",
            parameters, cancellation);
        return counted > cap ? (cap, true) : (counted, false);
    }

    public static (List<string> Conditions, Dictionary<string, object?> Parameters) Conditions(StatementFilter filter)
    {
        var conditions = new List<string>();
        var parameters = new Dictionary<string, object?>();
        conditions.Add(filter.Status == ListStatementsEndpoint.AnyStatus ? "l.status in ('recorded', 'retracted')" : "l.status = @status");
        parameters["status"] = filter.Status;
        if (filter.Country is { } country) { conditions.Add("l.country = @country"); parameters["country"] = country; }
        if (filter.Dataset is { } dataset) { conditions.Add("l.dataset = @dataset"); parameters["dataset"] = dataset; }
        if (filter.Topic is { } topic) { conditions.Add("l.topics @> array[@topic]::text[]"); parameters["topic"] = topic; }
        if (filter.Speaker is { } speaker) { conditions.Add("l.speaker_name ilike @speaker"); parameters["speaker"] = $"%{EscapeLike(speaker)}%"; }
        if (filter.From is { } from) { conditions.Add("l.stated_from >= @from"); parameters["from"] = from.FirstDay; }
        if (filter.To is { } to) { conditions.Add("l.stated_from <= @to"); parameters["to"] = to.LastDay; }
        return (conditions, parameters);
    }

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private static string Table(IQuerySession session) => StatementListTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName);

    private static string Documents(IQuerySession session) =>
        $"{session.DocumentStore.Options.DatabaseSchemaName}.{session.DocumentStore.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.Name}";
}
