using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Admin;

/// <summary>
/// One row per projection rebuilt through the admin API: whether a rebuild runs (kept alive by a
/// heartbeat, so one whose process died stops counting), and how the last one ended. Every node reads
/// it, so reads answer 503 during a rebuild whichever node started it.
/// </summary>
public static class ProjectionRebuildsTable
{
    public const string TableName = "st_projection_rebuilds";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("name").AsPrimaryKey();
        table.AddColumn<string>("status").NotNull();
        table.AddColumn<DateTimeOffset>("started_at").NotNull();
        table.AddColumn<DateTimeOffset>("heartbeat").NotNull();
        table.AddColumn<DateTimeOffset>("finished_at");
        table.AddColumn<string>("requested_by");
        table.AddColumn<string>("error");
        table.AddColumn<string>("phase");
        table.AddColumn<long>("processed").NotNull().DefaultValueByExpression("0");
        table.AddColumn<long>("total").NotNull().DefaultValueByExpression("0");
        return table;
    }
}
