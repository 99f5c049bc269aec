using System.Net.Sockets;
using Npgsql;

namespace StatementTracker.Operations;

/// <summary>What a database exception says about the database.</summary>
public enum DatabaseFailure
{
    /// <summary>A fault of the request or of ours: a 500 or a problem of its own.</summary>
    None,

    /// <summary>The database is there but cannot serve this now: the pool is exhausted, a query ran out of time, too many connections. 503, nothing cleared.</summary>
    Busy,

    /// <summary>The database cannot be reached: the connection failed or broke (SQLSTATE class 08, sockets, shutdown). 503, and the pools are cleared.</summary>
    Unreachable,
}

/// <summary>
/// Tells an outage from a busy database. Only an outage clears the connection pools (and at most once per
/// <see cref="ClearInterval"/>): clearing them because a pool was exhausted or a query timed out would throw
/// away every healthy connection, the daemon's and Wolverine's included, just when they are most needed.
/// </summary>
public static class DatabaseFailures
{
    public static readonly TimeSpan ClearInterval = TimeSpan.FromSeconds(5);

    private static long _lastCleared = long.MinValue;
    private static int _cleared;

    /// <summary>How many times the pools were cleared since the process started.</summary>
    public static int PoolsCleared => Volatile.Read(ref _cleared);

    public static DatabaseFailure Classify(Exception exception)
    {
        var busy = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                                     || postgres.SqlState is "57P01" or "57P02" or "57P03":
                case SocketException:
                case EndOfStreamException:
                case IOException when e.InnerException is SocketException || e.Message.Contains("connection", StringComparison.OrdinalIgnoreCase):
                    return DatabaseFailure.Unreachable;
                case PostgresException { SqlState: "57014" or "53300" or "55P03" }: // statement timeout, too many connections, lock timeout
                case TimeoutException:
                case OperationCanceledException when e.InnerException is TimeoutException:
                case NpgsqlException { IsTransient: true }:
                    busy = true;
                    break;
            }
        }
        return busy ? DatabaseFailure.Busy : DatabaseFailure.None;
    }

    /// <summary>Clears every connection pool after an outage, unless that was done less than <see cref="ClearInterval"/> ago.</summary>
    public static bool ClearPoolsAfterOutage()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastCleared);
        if (last != long.MinValue && now - last < (long)ClearInterval.TotalMilliseconds) return false;
        if (Interlocked.CompareExchange(ref _lastCleared, now, last) != last) return false;
        NpgsqlConnection.ClearAllPools();
        Interlocked.Increment(ref _cleared);
        return true;
    }
}
