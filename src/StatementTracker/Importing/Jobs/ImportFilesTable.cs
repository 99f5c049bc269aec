using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Importing.Jobs;

/// <summary>The file of each HTTP import until it has run, and the rejected rows it left.</summary>
public static class ImportFilesTable
{
    public const string TableName = "st_import_files";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn("content", "bytea");
        table.AddColumn("rejects", "bytea");
        return table;
    }
}
