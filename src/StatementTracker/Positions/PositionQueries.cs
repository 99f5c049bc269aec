using Marten;
using Npgsql;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions;

/// <summary>A country's current stance on a topic, as the topic overview lists it.</summary>
public sealed record CountryStance(
    string Country,
    string Stance,
    Guid StatementId,
    Speaker Speaker,
    string Position,
    PartialDate StatedOn);

/// <summary>
/// Which statements a position read counts: those stated on or before <paramref name="AsOf"/> (a partial
/// date counts once all of it has passed), as the tracker knew them at the instant <paramref name="KnownAt"/>
/// (only events recorded at or before it: later corrections and retractions do not apply). Null means
/// no limit: every statement, as it stands now.
/// </summary>
public sealed record PositionView(PartialDate? AsOf, DateTimeOffset? KnownAt)
{
    public static readonly PositionView Now = new(null, null);

    /// <summary>The SQL condition for the rows this view counts, with its parameters after <paramref name="firstParameter"/>.</summary>
    internal (string Condition, object[] Parameters) Filter(int firstParameter)
    {
        var parameters = new List<object>();
        string Next(object value)
        {
            parameters.Add(value);
            return $"${firstParameter + parameters.Count - 1}";
        }

        var condition = "known_until is null";
        if (KnownAt is { } knownAt)
        {
            var instant = Next(knownAt);
            condition = $"known_from <= {instant} and (known_until is null or known_until > {instant})";
        }
        if (AsOf is { } asOf) condition += $" and stated_to <= {Next(asOf.LastDay)}";
        return (condition, parameters.ToArray());
    }
}

/// <summary>Reads <see cref="PositionEntriesTable"/>: histories stream through <see cref="TopicTimeline"/>.</summary>
public static class PositionQueries
{
    private const string EntryColumns =
        "topic, statement_id, speaker_name, speaker_role, position, stance, stance_inferred, stated_on";

    /// <summary>The country's position on each topic it has spoken on (or on one topic), by topic.</summary>
    public static async Task<IReadOnlyList<TopicPosition>> ForCountryAsync(
        IQuerySession session, string country, string? topic, PositionView view, int historyLimit, CancellationToken cancellation)
    {
        var (visible, parameters) = view.Filter(firstParameter: 3);
        await using var command = new NpgsqlCommand(
            $"""
             select {EntryColumns} from {TableOf(session)}
             where country = $1 and ($2::text is null or topic = $2) and {visible}
             order by topic, stated_from, stated_precision, recorded_seq
             """,
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = country });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)topic ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });

        var positions = new List<TopicPosition>();
        TopicTimeline? timeline = null;
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var entryTopic = reader.GetString(0);
            if (timeline?.Topic != entryTopic)
            {
                if (timeline is not null) positions.Add(timeline.ToPosition());
                timeline = new TopicTimeline(entryTopic, historyLimit);
            }
            timeline.Add(ReadEntry(reader));
        }
        if (timeline is not null) positions.Add(timeline.ToPosition());
        return positions;
    }

    /// <summary>Each country's current stance on the topic: its latest statement's.</summary>
    public static async Task<IReadOnlyList<CountryStance>> ForTopicAsync(
        IQuerySession session, string topic, PositionView view, CancellationToken cancellation)
    {
        var (visible, parameters) = view.Filter(firstParameter: 2);
        await using var command = new NpgsqlCommand(
            $"""
             select distinct on (country) country, {EntryColumns} from {TableOf(session)}
             where topic = $1 and {visible}
             order by country, stated_from desc, stated_precision desc, recorded_seq desc
             """,
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = topic });
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });

        var stances = new List<CountryStance>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var entry = ReadEntry(reader, offset: 1);
            stances.Add(new CountryStance(reader.GetString(0), entry.Stance, entry.StatementId, entry.Speaker, entry.Position, entry.StatedOn));
        }
        return stances;
    }

    private static HistoryEntry ReadEntry(NpgsqlDataReader reader, int offset = 0) => new(
        StatementId: reader.GetGuid(offset + 1),
        Speaker: new Speaker(reader.GetString(offset + 2), reader.IsDBNull(offset + 3) ? null : reader.GetString(offset + 3)),
        Position: reader.GetString(offset + 4),
        Stance: reader.GetString(offset + 5),
        StanceInferred: reader.GetBoolean(offset + 6),
        StatedOn: PartialDate.Parse(reader.GetString(offset + 7)));

    private static string TableOf(IQuerySession session) =>
        PositionEntriesTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName);
}
