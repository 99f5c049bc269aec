using System.Collections.Concurrent;
using System.Reflection;
using Marten;
using Npgsql;

namespace StatementTracker.Infrastructure;

/// <summary>
/// Plain SQL read through a Marten session, with named parameters taken from an object's properties
/// (<c>new { country, topic }</c> binds <c>@country</c> and <c>@topic</c>) or from a dictionary, and rows
/// read by column name.
/// </summary>
public static class SqlQueries
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static async Task<List<T>> ListAsync<T>(
        this IQuerySession session, string sql, object parameters, Func<SqlRow, T> map, CancellationToken cancellation)
    {
        await using var command = Command(session, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var row = new SqlRow(reader);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellation)) rows.Add(map(row));
        return rows;
    }

    public static async Task<T?> ScalarAsync<T>(this IQuerySession session, string sql, object parameters, CancellationToken cancellation)
    {
        await using var command = Command(session, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellation);
        return value is null or DBNull ? default : (T)value;
    }

    private static NpgsqlCommand Command(IQuerySession session, string sql, object parameters)
    {
        var command = new NpgsqlCommand(sql, session.Connection);
        var values = parameters as IEnumerable<KeyValuePair<string, object?>>
            ?? Properties.GetOrAdd(parameters.GetType(), type => type.GetProperties()).Select(p => KeyValuePair.Create(p.Name, p.GetValue(parameters)));
        foreach (var (name, value) in values) command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        return command;
    }
}

/// <summary>The current row of a reader, by column name.</summary>
public sealed class SqlRow(NpgsqlDataReader reader)
{
    public T Get<T>(string column) => reader.GetFieldValue<T>(reader.GetOrdinal(column));

    public T? Maybe<T>(string column) where T : class
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
    }

    public T? MaybeValue<T>(string column) where T : struct
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
    }

    public bool IsNull(string column) => reader.IsDBNull(reader.GetOrdinal(column));
}
