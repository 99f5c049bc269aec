using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using StatementTracker.Positions;

namespace StatementTracker.Operations.Http;

/// <summary>
/// What makes a read's answer change, as an entity tag computed before the read runs, so that a matching
/// <c>If-None-Match</c> costs one primary-key lookup instead of the read. Position reads change only when the
/// PositionHistory projection applies events or a rebuild replaces their tables: their tag is that projection's
/// progress (mt_event_progression) and the tables' generation.
/// The statement list and statement exports are kept inline with every append: their tag is the store's last
/// event sequence. Either is combined with a hash of the path and query, because the same progress gives a
/// different answer for another query. The progress is read before the rows, so an answer is never older
/// than its tag: at worst a client re-reads an answer that had not changed.
/// Tags are weak: compression changes the bytes, not the meaning.
/// </summary>
public static class ReadValidators
{
    public const string PositionsShard = "PositionHistory:All";

    private enum Source { None, Positions, EventStore }

    private static readonly string[] PositionRoutes = ["/countries", "/topics", "/shifts", "/exports/positions"];
    private static readonly string[] EventStoreRoutes = ["/statements", "/exports/statements"];

    private static Source SourceOf(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } route }) return Source.None;
        route = "/" + route.TrimStart('/');
        if (PositionRoutes.Any(prefix => route.StartsWith(prefix, StringComparison.Ordinal))) return Source.Positions;
        // Only the list itself: /statements/{id} tags itself with the statement's version.
        if (route == "/statements" || route.StartsWith("/exports/statements", StringComparison.Ordinal)) return Source.EventStore;
        return Source.None;
    }

    /// <summary>
    /// A read's tag, and what it was made of: the PositionHistory projection's progress or the store's last sequence,
    /// and for position reads the generation of the position tables (the entries table's identity, which a rebuild's
    /// swap changes, so that an answer read before a rebuild that repaired the tables is not taken for a current one).
    /// </summary>
    public sealed record Tag(string Value, bool OfPositions, long Progress, long Generation);

    /// <summary>The tag for this read, or null when the endpoint tags its own answers (or has none).</summary>
    public static async Task<Tag?> TagAsync(HttpContext context)
    {
        var source = SourceOf(context);
        if (source == Source.None) return null;
        var session = context.RequestServices.GetService(typeof(IQuerySession)) as IQuerySession;
        if (session is null) return null;
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var sql = source == Source.Positions
            ? $"select coalesce((select last_seq_id from {schema}.mt_event_progression where name = @name), 0), " +
              "coalesce(to_regclass(@entries)::oid::bigint, 0)"
            : $"select coalesce(max(seq_id), 0), 0::bigint from {schema}.mt_events";
        await using var command = new NpgsqlCommand(sql, session.Connection);
        if (source == Source.Positions)
        {
            command.Parameters.AddWithValue("name", PositionsShard);
            command.Parameters.AddWithValue("entries", PositionEntriesTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName));
        }
        long position, generation;
        await using (var reader = await command.ExecuteReaderAsync(context.RequestAborted))
        {
            await reader.ReadAsync(context.RequestAborted);
            (position, generation) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var value = source == Source.Positions
            ? $"W/\"p{position}.{generation}-{QueryHash(context.Request)}\""
            : $"W/\"e{position}-{QueryHash(context.Request)}\"";
        return new Tag(value, source == Source.Positions, position, generation);
    }

    private static string QueryHash(HttpRequest request)
    {
        var target = Encoding.UTF8.GetBytes($"{request.Path.ToUriComponent()}{request.QueryString.Value}");
        return Convert.ToHexStringLower(SHA256.HashData(target), 0, 8);
    }

    /// <summary>Whether <c>If-None-Match</c> names this tag (weak comparison, as RFC 9110 says for it), or is <c>*</c>.</summary>
    public static bool Matches(HttpRequest request, string? tag)
    {
        if (tag is null) return false;
        var wanted = Opaque(tag);
        foreach (var header in request.Headers.IfNoneMatch)
            foreach (var candidate in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (candidate == "*" || Opaque(candidate) == wanted) return true;
        return false;
    }

    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
}
