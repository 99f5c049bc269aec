using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace StatementTracker.Statements.Listing;

/// <summary>
/// One small row per statement with what the statement list filters and sorts on, kept in the same
/// transaction as the statement's events (an inline projection), so a statement is listed the moment it is
/// recorded. The list pages by keyset on (stated_from, recorded_seq): newest stated first.
/// </summary>
public static class StatementListTable
{
    public const string TableName = "st_statement_list";

    public static string QualifiedName(string schema) => $"{schema}.{TableName}";

    public static Table Define(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<string>("country").NotNull();
        table.AddColumn("topics", "text[]").NotNull();
        table.AddColumn<string>("status").NotNull();
        table.AddColumn<DateOnly>("stated_from").NotNull();
        table.AddColumn<long>("recorded_seq").NotNull();
        table.AddColumn<string>("speaker_name").NotNull();
        // The origin's dataset; null for statements recorded by hand.
        table.AddColumn<string>("dataset");
        table.Indexes.Add(new IndexDefinition("ix_st_statement_list_order")
        {
            Columns = ["status", "stated_from", "recorded_seq"],
        });
        table.Indexes.Add(new IndexDefinition("ix_st_statement_list_country")
        {
            Columns = ["country", "status", "stated_from", "recorded_seq"],
        });
        table.Indexes.Add(new IndexDefinition("ix_st_statement_list_dataset")
        {
            Columns = ["dataset", "status", "stated_from", "recorded_seq"],
            Predicate = "dataset is not null",
        });
        table.Indexes.Add(new IndexDefinition("ix_st_statement_list_topics") { Columns = ["topics"], Method = IndexMethod.gin });
        return table;
    }
}
