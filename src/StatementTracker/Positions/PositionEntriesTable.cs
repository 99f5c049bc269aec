using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Positions;

/// <summary>
/// The read model behind every position view: one row per statement, topic and revision.
/// A row is current while <c>known_until</c> is null; a correction or retraction closes it at the
/// event's timestamp. So the table answers "what is current" and "what did the tracker show at
/// instant T" alike, and each row stays small however long a country's history grows.
/// </summary>
public static class PositionEntriesTable
{
    public const string TableName = "st_position_entries";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("statement_id").AsPrimaryKey();
        table.AddColumn<string>("topic").AsPrimaryKey();
        table.AddColumn<long>("revision").AsPrimaryKey();
        table.AddColumn<string>("country").NotNull();
        table.AddColumn<DateTimeOffset>("known_from").NotNull();
        table.AddColumn<DateTimeOffset>("known_until");
        table.AddColumn<long>("recorded_seq").NotNull();
        table.AddColumn<DateOnly>("stated_from").NotNull();
        table.AddColumn<DateOnly>("stated_to").NotNull();
        table.AddColumn<short>("stated_precision").NotNull();
        table.AddColumn<string>("stated_on").NotNull();
        table.AddColumn<string>("stance").NotNull();
        table.AddColumn<bool>("stance_inferred").NotNull();
        table.AddColumn<string>("position").NotNull();
        table.AddColumn<string>("speaker_name").NotNull();
        table.AddColumn<string>("speaker_role");

        // Current rows, in history order, per country and per topic.
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_country_current")
        {
            Columns = ["country", "topic", "stated_from", "stated_precision", "recorded_seq"],
            Predicate = "known_until is null",
        });
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_topic_current")
        {
            Columns = ["topic", "country", "stated_from", "stated_precision", "recorded_seq"],
            Predicate = "known_until is null",
        });
        // Every revision, for reads at an earlier instant (knownAt).
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_country_known")
        {
            Columns = ["country", "known_from"],
        });
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_topic_known")
        {
            Columns = ["topic", "known_from"],
        });
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_statement_open")
        {
            Columns = ["statement_id"],
            Predicate = "known_until is null",
        });
        return table;
    }
}
