using System.Runtime.CompilerServices;
using Marten;
using Npgsql;
using StatementTracker.Admin.Rebuilding;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Statements.Listing;
using StatementTracker.Statements.Reading;
using StatementTracker.Vocabulary;

namespace StatementTracker.Exporting;

/// <summary>
/// The statements an export holds, read one at a time from one connection without the statement time limit,
/// so memory stays flat for any size. Now: the list's filters in SQL, in the list's order (newest stated
/// first). Known at an instant: every statement folded from its events recorded by then (the same Apply methods
/// as the stored document), filtered the same way, in id order. <c>asOf</c> keeps statements stated, whole, by then.
/// </summary>
public sealed class StatementSelection(IDocumentStore store)
{
    public async IAsyncEnumerable<Statement> ReadAsync(
        StatementFilter filter, PartialDate? asOf, DateTimeOffset? knownAt, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var connection = await store.OpenForBulkWorkAsync(cancellation);
        var serializer = store.Options.Serializer();
        if (knownAt is { } instant)
        {
            var events = new StoredEvents(store);
            await foreach (var stream in events.StreamsAsync(connection, long.MaxValue, cancellation))
            {
                var known = stream.TakeWhile(e => e.Timestamp <= instant).ToArray();
                if (known.Length == 0 || known[0].Data is not StatementRecorded) continue;
                var statement = StatementsRebuild.Fold(known);
                if (Matches(statement, filter) && StatedBy(statement, asOf)) yield return statement;
            }
            yield break;
        }

        var (conditions, parameters) = StatementList.Conditions(filter);
        if (asOf is { } date)
        {
            conditions.Add("(d.data -> 'statedWithin' ->> 'to')::date <= @as_of");
            parameters["as_of"] = date.LastDay;
        }
        var documents = store.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.QualifiedName;
        await using var command = new NpgsqlCommand(
            $"""
             select d.data from {StatementListTable.QualifiedName(store.Options.DatabaseSchemaName)} l join {documents} d on d.id = l.id
             where {string.Join(" and ", conditions)}
             order by l.stated_from desc, l.recorded_seq desc
             """, connection);
        foreach (var (name, value) in parameters)
            if (value is not null) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellation);
        while (await reader.ReadAsync(cancellation))
            yield return serializer.FromJson<Statement>(reader, 0);
    }

    /// <summary>The list's filters, applied to a statement in memory (for statements folded as known at an instant).</summary>
    public static bool Matches(Statement statement, StatementFilter filter) =>
        (filter.Status == ListStatementsEndpoint.AnyStatus || statement.Status == filter.Status)
        && (filter.Country is null || statement.Country == filter.Country)
        && (filter.Topic is null || statement.Topics.Contains(filter.Topic))
        && (filter.Speaker is null || statement.Speaker.Name.Contains(filter.Speaker, StringComparison.OrdinalIgnoreCase))
        && (filter.From is null || statement.StatedWithin.From >= filter.From.Value.FirstDay)
        && (filter.To is null || statement.StatedWithin.From <= filter.To.Value.LastDay)
        && (filter.Dataset is null || statement.Origin?.Dataset == filter.Dataset);

    private static bool StatedBy(Statement statement, PartialDate? asOf) => asOf is null || statement.StatedWithin.To <= asOf.Value.LastDay;
}
