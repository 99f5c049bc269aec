using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Positions;

/// <summary>
/// The shifts of the present view: one row per present substantive entry whose stance differs from the
/// country's previous substantive stance on the topic, keyed like the entry and sorted like it. Kept apart
/// from the entries so that the entries are written once and closed, never rewritten when a neighbour
/// comes or goes; small, so the shift pages and the tracker-wide feed read it by index.
/// </summary>
public static class PositionShiftsTable
{
    public const string TableName = "st_position_shifts";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("statement_id").AsPrimaryKey();
        table.AddColumn<string>("topic").AsPrimaryKey();
        table.AddColumn<long>("revision").AsPrimaryKey();
        table.AddColumn<string>("country").NotNull();
        table.AddColumn<DateOnly>("stated_from").NotNull();
        table.AddColumn<short>("stated_precision").NotNull();
        table.AddColumn<long>("recorded_seq").NotNull();
        table.AddColumn<string>("shift_from").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_st_position_shifts_country")
        {
            Columns = ["country", "topic", "stated_from", "stated_precision", "recorded_seq"],
        });
        table.Indexes.Add(new IndexDefinition("ix_st_position_shifts_feed")
        {
            Columns = ["stated_from", "stated_precision", "recorded_seq", "topic"],
        });
        return table;
    }
}
