using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Positions;

/// <summary>
/// Every shift the projection saw appear in the present view, once: a recording, correction or
/// retraction that created it. The id is derived from the shift itself (statement, topic, revision,
/// stance before), so replaying the same events raises nothing new. Alerting reads it and marks what it sent.
/// </summary>
public static class RaisedShiftsTable
{
    public const string TableName = "st_raised_shifts";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

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
