using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Positions;

/// <summary>
/// The read model behind every position view: one row per statement, topic and revision.
/// A row is current while <c>known_until</c> is null; a correction or retraction closes it at the
/// event's timestamp. So the table answers "what is current" and "what did the tracker show at
/// instant T" alike, and each row stays small however long a country's history grows. A row is written once
/// and closed once (the shifts of the present view live in <see cref="PositionShiftsTable"/>).
/// </summary>
public static class PositionEntriesTable
{
    public const string TableName = "st_position_entries";

    /// <summary>History order within a country and topic: stated date, less precise first, then recording order.</summary>
    public static string Order(string alias, bool descending = false)
    {
        var direction = descending ? " desc" : "";
        return $"{alias}.stated_from{direction}, {alias}.stated_precision{direction}, {alias}.recorded_seq{direction}";
    }

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
        table.AddColumn<string>("family").NotNull();
        table.AddColumn<bool>("substantive").NotNull();
        table.AddColumn<bool>("stance_inferred").NotNull();
        table.AddColumn<string>("position").NotNull();
        table.AddColumn<string>("speaker_name").NotNull();
        table.AddColumn<string>("speaker_role");
        table.AddColumn("targets", "text[]").NotNull();

        // Vacuumed after every 10,000 new rows, whatever the table's size: dated reads count from the index
        // alone only where the visibility map marks the pages all-visible; unvacuumed, JPN's dated summary
        // fetched 100,000 heap rows (1.2 s instead of 60 ms). PostgreSQL's default waits for 20% more rows.
        table.WithStorageParameter("autovacuum_vacuum_insert_threshold", 10_000);
        table.WithStorageParameter("autovacuum_vacuum_insert_scale_factor", 0);
        table.WithStorageParameter("autovacuum_vacuum_scale_factor", 0.02);

        // Every revision in history order, per country and per topic: the present view filters on
        // known_until is null, a view at an earlier instant on known_from/known_until. The country's index
        // carries what a dated summary counts and compares, so its totals are read from the index alone.
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_country_order")
        {
            Columns = ["country", "topic", "stated_from", "stated_precision", "recorded_seq"],
            IncludeColumns = ["known_from", "known_until", "stated_to", "substantive", "stance"],
        });
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_topic_order")
        {
            Columns = ["topic", "country", "stated_from", "stated_precision", "recorded_seq"],
        });
        // The rows of a country whose visibility changed after an instant (closed after it, or recorded after it
        // and present), in two range scans: a summary at that instant starts from the present one and walks only
        // the history after the earliest of them, instead of all of it. New rows join the end of their country's range.
        table.Indexes.Add(new IndexDefinition("ix_st_position_entries_country_changes")
        {
            Columns = ["country", "known_until", "known_from"],
            IncludeColumns = ["topic", "stated_from"],
        });
        return table;
    }
}
