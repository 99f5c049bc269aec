using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Positions;

/// <summary>
/// One row per country and topic with a present history: its totals, its current entry (the latest
/// substantive one, else the latest) with the stance, family and targets that alignment compares, and
/// its latest shift. Kept by the projection with each batch, so the present summaries read in one scan.
/// </summary>
public static class PositionSummariesTable
{
    public const string TableName = "st_position_summaries";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("country").AsPrimaryKey();
        table.AddColumn<string>("topic").AsPrimaryKey();
        table.AddColumn<int>("history_total").NotNull();
        table.AddColumn<int>("shifts_total").NotNull();
        table.AddColumn<Guid>("current_statement_id").NotNull();
        table.AddColumn<long>("current_revision").NotNull();
        table.AddColumn<string>("current_stance").NotNull();
        table.AddColumn<string>("current_family").NotNull();
        table.AddColumn<bool>("current_substantive").NotNull();
        table.AddColumn("current_targets", "text[]").NotNull();
        table.AddColumn<Guid>("last_shift_statement_id");
        table.AddColumn<long>("last_shift_revision");
        table.Indexes.Add(new IndexDefinition("ix_st_position_summaries_topic") { Columns = ["topic", "country"] });
        return table;
    }
}
