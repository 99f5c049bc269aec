using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Positions;

/// <summary>
/// Every shift the projection saw appear in the present view: one row each time a recording, correction
/// or retraction created one. Alerting reads it and marks what it sent. Shifts are raised only for events
/// past <see cref="ProgressTableName"/>'s mark, so a rebuild, replaying events already seen, raises none again.
/// </summary>
public static class RaisedShiftsTable
{
    public const string TableName = "st_raised_shifts";
    public const string ProgressTableName = "st_raised_shifts_progress";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static string ProgressName(string schema) => $"{schema}.{ProgressTableName}";

    /// <summary>One row: the sequence of the last event for which shifts were raised.</summary>
    public static Table DefineProgress(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, ProgressTableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<int>("id").AsPrimaryKey();
        table.AddColumn<long>("through_seq").NotNull();
        return table;
    }

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn("seq", "bigserial").NotNull();
        table.AddColumn<string>("country").NotNull();
        table.AddColumn<string>("topic").NotNull();
        table.AddColumn<Guid>("statement_id").NotNull();
        table.AddColumn<long>("revision").NotNull();
        table.AddColumn<string>("shift_from").NotNull();
        table.AddColumn<string>("shift_to").NotNull();
        table.AddColumn<string>("stated_on").NotNull();
        table.AddColumn<DateTimeOffset>("raised_at").NotNull();
        table.AddColumn<DateTimeOffset>("dispatched_at");
        table.Indexes.Add(new IndexDefinition("ix_st_raised_shifts_pending") { Columns = ["seq"], Predicate = "dispatched_at is null" });
        return table;
    }
}
