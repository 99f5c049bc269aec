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

/// <summary>Reads <see cref="PositionEntriesTable"/>: histories stream through <see cref="TopicTimeline"/>.</summary>
public static class PositionQueries
{
    private const string EntryColumns =
        "topic, statement_id, speaker_name, speaker_role, position, stance, stance_inferred, stated_on";

    /// <summary>The country's position on each topic it has spoken on (or on one topic), by topic.</summary>
    public static async Task<IReadOnlyList<TopicPosition>> ForCountryAsync(
        IQuerySession session, string country, string? topic, int historyLimit, CancellationToken cancellation)
    {
        var table = TableOf(session);
        await using var command = new NpgsqlCommand(
            $"""
             select {EntryColumns} from {table}
             where country = $1 and ($2::text is null or topic = $2) and known_until is null
             order by topic, stated_from, stated_precision, recorded_seq
             """,
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = country });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)topic ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });

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
    public static async Task<IReadOnlyList<CountryStance>> ForTopicAsync(IQuerySession session, string topic, CancellationToken cancellation)
    {
        var table = TableOf(session);
        await using var command = new NpgsqlCommand(
            $"""
             select distinct on (country) country, {EntryColumns} from {table}
             where topic = $1 and known_until is null
             order by country, stated_from desc, stated_precision desc, recorded_seq desc
             """,
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = topic });

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
