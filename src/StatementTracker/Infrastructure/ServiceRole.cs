using Marten;
using StatementTracker.Positions;
using StatementTracker.Statements;
using StatementTracker.Statements.Listing;

namespace StatementTracker.Infrastructure;

/// <summary>
/// The rights of the role the service runs as, granted by the role that owns the schema (the one
/// <c>db-apply</c> runs as). The service reads and writes every table, but cannot change the event store, its
/// documents' shape or Wolverine's tables: those stay the owner's, so it can neither drop nor alter them.
/// It owns only its read models (the position tables, the statement documents and list), and may create
/// tables and a schema, because a rebuild without downtime fills shadow copies of those in a schema of its own
/// and swaps them in.
/// </summary>
public static class ServiceRole
{
    /// <summary>The read models a rebuild replaces by swapping tables, so the service must own them.</summary>
    public static IReadOnlyList<string> RebuiltTables(IDocumentStore store) =>
    [
        PositionEntriesTable.TableName, PositionShiftsTable.TableName, PositionSummariesTable.TableName,
        PositionYearsTable.TableName, StatementListTable.TableName, store.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.Name,
    ];

    public static string GrantSql(IDocumentStore store, string role)
    {
        var schema = store.Options.DatabaseSchemaName;
        var quoted = Quote(role);
        var grants = $"""
            do $$ begin execute format('grant create on database %I to %I', current_database(), '{role.Replace("'", "''")}'); end $$;
            grant usage, create on schema {schema} to {quoted};
            grant select, insert, update, delete on all tables in schema {schema} to {quoted};
            grant usage, select, update on all sequences in schema {schema} to {quoted};
            grant execute on all functions in schema {schema} to {quoted};
            alter default privileges in schema {schema} grant select, insert, update, delete on tables to {quoted};
            alter default privileges in schema {schema} grant usage, select, update on sequences to {quoted};
            alter default privileges in schema {schema} grant execute on functions to {quoted};
            """;
        var owned = string.Join('\n', RebuiltTables(store).Select(t => $"alter table if exists {schema}.{t} owner to {quoted};"));
        return grants + "\n" + owned;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
