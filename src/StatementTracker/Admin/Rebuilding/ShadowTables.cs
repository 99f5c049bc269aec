using Npgsql;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// A rebuild's tables, built beside the live ones in a schema of their own and swapped in, in one
/// transaction, once caught up: readers see the old tables until the swap and the new ones after it.
/// Each shadow table has the live table's columns (and so their NOT NULLs); its keys and indexes, the live table's, are added after
/// the bulk load (faster than keeping them up while loading) and keep their names through the swap.
/// The swap never waits for a table while it holds another (it tries all of them briefly, and on failure lets
/// go of everything and tries again), so it can never deadlock with readers, whatever order they lock in.
/// </summary>
public sealed class ShadowTables(string liveSchema, IReadOnlyList<string> tables)
{
    public const string Schema = "st_rebuild";

    /// <summary>Where the swap moves the replaced live tables, to be dropped once it has committed.</summary>
    public const string Retired = "st_retired";

    public string Shadow(string table) => $"{Schema}.{table}";

    public string Live(string table) => $"{liveSchema}.{table}";

    /// <summary>
    /// A fresh shadow schema with empty, unindexed copies of the tables, and an empty one for the tables the swap
    /// replaces (any left by an interrupted rebuild are dropped).
    /// </summary>
    public async Task CreateAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        var sql = $"drop schema if exists {Schema} cascade; create schema {Schema};" +
                  $"drop schema if exists {Retired} cascade; create schema {Retired};" +
                  string.Concat(tables.Select(t => $"create table {Shadow(t)} (like {Live(t)} including defaults);"));
        await ExecuteAsync(connection, sql, cancellation);
    }

    /// <summary>
    /// Gives these shadow tables (of <see cref="ShadowTables"/>'s own) the live tables' keys, indexes and storage
    /// parameters, then vacuums them, unless <paramref name="vacuum"/> is false: a table filled while another
    /// connection's transaction that began before was still running must be vacuumed after that one ends (see <see cref="VacuumAsync"/>).
    /// </summary>
    public async Task IndexAsync(NpgsqlConnection connection, IReadOnlyList<string> some, CancellationToken cancellation, bool vacuum = true)
    {
        var statements = new List<string>();
        var keys = new List<string>();
        foreach (var table in some)
        {
            // The primary key is built as a unique index of its name and then made the key (a moment's exclusive
            // lock), so that reads of the table (the shifts computed from it) go on while it builds.
            await using var command = new NpgsqlCommand(
                """
                select c.conname, pg_get_indexdef(c.conindid) from pg_constraint c
                where c.conrelid = $1::regclass and c.contype = 'p'
                union all
                select null, pg_get_indexdef(i.indexrelid) from pg_index i
                where i.indrelid = $1::regclass and not i.indisprimary
                """, connection)
            {
                Parameters = { new NpgsqlParameter { Value = Live(table) } },
            };
            await using (var options = new NpgsqlCommand("select array_to_string(reloptions, ', ') from pg_class where oid = $1::regclass", connection)
                         {
                             Parameters = { new NpgsqlParameter { Value = Live(table) } },
                         })
            {
                // Storage parameters (autovacuum thresholds) are not copied by LIKE: they are set here, so they survive the swap.
                if (await options.ExecuteScalarAsync(cancellation) is string { Length: > 0 } reloptions)
                    statements.Add($"alter table {Shadow(table)} set ({reloptions})");
            }
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                statements.Add(reader.GetString(1).Replace($" ON {Live(table)} ", $" ON {Shadow(table)} ", StringComparison.Ordinal));
                if (!reader.IsDBNull(0))
                    keys.Add($"alter table {Shadow(table)} add constraint {reader.GetString(0)} primary key using index {reader.GetString(0)}");
            }
        }
        // Index builds sort in memory rather than on disk (each statement's own transaction only: the two statements
        // run as one batch, one implicit transaction, where set_config(..., true) lasts and SET LOCAL would log a warning).
        foreach (var statement in statements) await ExecuteAsync(connection, $"select set_config('maintenance_work_mem', '256MB', true); {statement}", cancellation);
        foreach (var key in keys) await ExecuteAsync(connection, key, cancellation);
        if (vacuum) await VacuumAsync(connection, some, cancellation);
    }

    /// <summary>
    /// Vacuumed, not only analysed: the visibility map lets reads answer from an index alone (index-only scans)
    /// from the swap on, instead of after autovacuum's next pass. It marks a page all-visible only once every
    /// transaction that might not see its rows has ended: shifts vacuumed while the entries' index builds still ran
    /// beside them were left unmarked (34,401 heap fetches in one read at a past date). One table per command.
    /// </summary>
    public async Task VacuumAsync(NpgsqlConnection connection, IReadOnlyList<string> some, CancellationToken cancellation)
    {
        foreach (var table in some) await ExecuteAsync(connection, $"vacuum (analyze) {Shadow(table)}", cancellation);
    }

    /// <summary>
    /// In one transaction: <paramref name="first"/> (what must happen with the swap: the last catch-up, the
    /// projection's progress), then the live tables moved aside and the shadow ones moved in under the same names.
    /// The replaced tables are dropped afterwards (<see cref="DropAsync"/>): dropped in the swap, their files were
    /// removed at its commit, which held readers back for as long (280 ms for the entries of 1,000,000 statements).
    /// When a reader holds a live table, the transaction is abandoned and tried again a moment later.
    /// </summary>
    public async Task SwapAsync(NpgsqlConnection connection, Func<Task> first, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            try
            {
                await first();
                await ExecuteAsync(connection,
                    $"set local lock_timeout = '{LockWait.TotalMilliseconds}ms';" +
                    $"lock table {string.Join(", ", tables.Select(Live))} in access exclusive mode;" +
                    string.Concat(tables.Select(t => $"alter table {Live(t)} set schema {Retired}; alter table {Shadow(t)} set schema {liveSchema};")),
                    cancellation);
                await transaction.CommitAsync(cancellation);
                return;
            }
            catch (PostgresException locked) when (locked.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < MaxAttempts)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                await Task.Delay(LockWait, cancellation);
            }
        }
    }

    private static readonly TimeSpan LockWait = TimeSpan.FromMilliseconds(200);
    private const int MaxAttempts = 150;

    /// <summary>The shadow tables of a rebuild that did not finish, or the tables a swap replaced.</summary>
    public Task DropAsync(NpgsqlConnection connection, CancellationToken cancellation) =>
        ExecuteAsync(connection, $"drop schema if exists {Schema} cascade; drop schema if exists {Retired} cascade", cancellation);

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
