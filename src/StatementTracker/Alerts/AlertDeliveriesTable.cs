using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Alerts;

/// <summary>Every attempt to deliver an alert: when, which attempt, and what the receiver answered (or why it could not).</summary>
public static class AlertDeliveriesTable
{
    public const string TableName = "st_alert_deliveries";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn("id", "bigserial").AsPrimaryKey();
        table.AddColumn<Guid>("subscription_id").NotNull();
        table.AddColumn<Guid>("alert_id").NotNull();
        table.AddColumn<int>("attempt").NotNull();
        table.AddColumn<DateTimeOffset>("attempted_at").NotNull();
        table.AddColumn<int>("status_code");
        table.AddColumn<string>("error");
        table.AddColumn<bool>("delivered").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_st_alert_deliveries_subscription") { Columns = ["subscription_id", "id"] });
        return table;
    }
}
