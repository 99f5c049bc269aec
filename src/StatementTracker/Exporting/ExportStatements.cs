using Microsoft.AspNetCore.Mvc;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Positions.Reading;
using StatementTracker.Statements.Reading;
using Wolverine.Http;

namespace StatementTracker.Exporting;

/// <summary>
/// <c>GET /exports/statements.csv</c>, <c>.jsonl</c> and <c>.plover.jsonl</c>: every statement the filters of
/// <c>GET /statements</c> match (plus <c>asOf</c> and <c>knownAt</c>), streamed. Exports share the costly reads'
/// concurrency limit.
/// </summary>
public static class ExportStatementsEndpoint
{
    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(string), 200, "text/csv")]
    [WolverineGet("/exports/statements.csv")]
    public static IResult Csv(
        string? country, string? topic, string? speaker, string? from, string? to, string? status, string? dataset, string? asOf, string? knownAt,
        IDocumentStore store) =>
        Export(StatementExportFormat.Csv, "statements.csv", country, topic, speaker, from, to, status, dataset, asOf, knownAt, store);

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(string), 200, "application/x-ndjson")]
    [WolverineGet("/exports/statements.jsonl")]
    public static IResult JsonLines(
        string? country, string? topic, string? speaker, string? from, string? to, string? status, string? dataset, string? asOf, string? knownAt,
        IDocumentStore store) =>
        Export(StatementExportFormat.JsonLines, "statements.jsonl", country, topic, speaker, from, to, status, dataset, asOf, knownAt, store);

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(string), 200, "application/x-ndjson")]
    [WolverineGet("/exports/statements.plover.jsonl")]
    public static IResult Plover(
        string? country, string? topic, string? speaker, string? from, string? to, string? status, string? dataset, string? asOf, string? knownAt,
        IDocumentStore store) =>
        Export(StatementExportFormat.Plover, "statements.plover.jsonl", country, topic, speaker, from, to, status, dataset, asOf, knownAt, store);

    private static IResult Export(
        StatementExportFormat format, string fileName, string? country, string? topic, string? speaker, string? from, string? to, string? status,
        string? dataset, string? asOf, string? knownAt, IDocumentStore store)
    {
        var query = new QueryParameters();
        var filter = StatementFilter.Read(query, country, topic, speaker, from, to, status, dataset);
        var view = query.View(asOf, knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        return new StreamedExport(StatementWriters.ContentType(format), fileName, (output, cancellation) =>
            StatementWriters.WriteAsync(new StatementSelection(store).ReadAsync(filter, view.AsOf, view.KnownAt, cancellation), format, output, cancellation));
    }
}

/// <summary>
/// An export written straight to the response as it is read, as an attachment. Once the first bytes are sent
/// the status is 200; a failure after that cuts the response short (the client sees an incomplete body).
/// </summary>
public sealed class StreamedExport(string contentType, string fileName, Func<TextWriter, CancellationToken, Task<long>> write) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        context.Response.Headers.CacheControl = "no-store";
        await using var output = new StreamWriter(context.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024) { NewLine = "\n" };
        await write(output, context.RequestAborted);
    }
}
