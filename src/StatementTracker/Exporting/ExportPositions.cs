using Microsoft.AspNetCore.Mvc;
using System.Runtime.CompilerServices;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Npgsql;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Positions;
using StatementTracker.Positions.Reading;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Exporting;

/// <summary>One history entry of a country on a topic, with whether it is a shift (and from what).</summary>
public sealed record PositionRow(
    string Country, string Topic, string StatedOn, string Stance, string Family, bool Substantive, string[] Targets, Guid StatementId,
    string Speaker, string Position, DateTimeOffset RecordedAt, string? ShiftFrom);

/// <summary>
/// <c>GET /exports/positions.csv?country=&amp;topic=&amp;asOf=&amp;knownAt=</c>: one row per country, topic and
/// history entry, oldest first within each, with the shift flag worked out by the positions' rule (a shift is a
/// substantive stance that differs from the previous substantive one). Streamed.
/// </summary>
public static class ExportPositionsEndpoint
{
    public static readonly string[] Columns =
        ["country", "topic", "statedOn", "stance", "family", "targets", "statementId", "speaker", "position", "recordedAt", "shift", "shiftFrom"];

    [EnableRateLimiting(HeavyReads.Policy)]
    [ProducesResponseType(typeof(string), 200, "text/csv")]
    [WolverineGet("/exports/positions.csv")]
    public static IResult Get(string? country, string? topic, string? asOf, string? knownAt, IDocumentStore store)
    {
        var query = new QueryParameters();
        string? code = null;
        if (!string.IsNullOrWhiteSpace(country) && (code = Countries.Normalise(country)) is null)
            query.Reject("country", "Unknown country: use an ISO 3166-1 code or an English name.");
        if (!string.IsNullOrWhiteSpace(topic) && !TopicSlug.IsValid(topic))
            query.Reject("topic", "Must be a lowercase kebab-case topic slug.");
        var view = query.View(asOf, knownAt);
        if (!query.IsValid) return query.Problem.ToResult();
        var topicSlug = string.IsNullOrWhiteSpace(topic) ? null : topic;
        return new StreamedExport("text/csv; charset=utf-8", "positions.csv", (output, cancellation) =>
            WriteCsvAsync(ReadAsync(store, code, topicSlug, view, cancellation), output, cancellation));
    }

    public static async Task<long> WriteCsvAsync(IAsyncEnumerable<PositionRow> rows, TextWriter output, CancellationToken cancellation)
    {
        long written = 0;
        await output.WriteLineAsync(Csv.Line(Columns));
        await foreach (var r in rows.WithCancellation(cancellation))
        {
            await output.WriteLineAsync(Csv.Line(
            [
                r.Country, r.Topic, r.StatedOn, r.Stance, r.Family, string.Join(';', r.Targets), r.StatementId.ToString(), r.Speaker, r.Position,
                r.RecordedAt.ToString("O"), r.ShiftFrom is null ? "false" : "true", r.ShiftFrom,
            ]));
            written++;
        }
        await output.FlushAsync(cancellation);
        return written;
    }

    /// <summary>The visible entries, by country and topic, in history order, with the shift of each worked out on the way.</summary>
    public static async IAsyncEnumerable<PositionRow> ReadAsync(
        IDocumentStore store, string? country, string? topic, PositionView view, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var connection = await store.OpenForBulkWorkAsync(cancellation);
        var entries = PositionEntriesTable.QualifiedName(store.Options.DatabaseSchemaName);
        await using var command = new NpgsqlCommand(
            $"""
             select e.country, e.topic, e.stated_on, e.stance, e.family, e.substantive, e.targets, e.statement_id, e.speaker_name, e.position, e.known_from
             from {entries} e
             where {view.Visible()} {(country is null ? "" : "and e.country = @country")} {(topic is null ? "" : "and e.topic = @topic")}
             order by e.country, e.topic, {PositionEntriesTable.Order("e")}
             """, connection);
        foreach (var (name, value) in view.Parameters(new { country, topic }))
            if (value is not null) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        (string Country, string Topic)? lane = null;
        string? previous = null;
        while (await reader.ReadAsync(cancellation))
        {
            var here = (reader.GetString(0), reader.GetString(1));
            if (lane != here) (lane, previous) = (here, null);
            var stance = reader.GetString(3);
            var substantive = reader.GetBoolean(5);
            var shiftFrom = substantive && previous is not null && previous != stance ? previous : null;
            if (substantive) previous = stance;
            yield return new PositionRow(here.Item1, here.Item2, reader.GetString(2), stance, reader.GetString(4), substantive,
                reader.GetFieldValue<string[]>(6), reader.GetGuid(7), reader.GetString(8), reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10), shiftFrom);
        }
    }
}
