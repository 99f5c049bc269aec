namespace StatementTracker.Infrastructure;

/// <summary>
/// The gate every transaction that writes statements passes (a shared transaction-level advisory lock),
/// and that a rebuild closes (the same lock, exclusive) for the moment it swaps a statement table: writers
/// wait before they touch the table, so none writes into the table being replaced. Released at commit.
/// </summary>
public static class WriteGate
{
    /// <summary>The lock's two keys: our namespace ("STMT", apart from Wolverine's single-key locks) and the gate.</summary>
    private const string Keys = "1398033748, 0";

    /// <summary>How long a writer waits at the closed gate before it gives up (and answers 503).</summary>
    public const string MaxWait = "5s";

    /// <summary>Bounds the wait at the gate; <see cref="Unbounded"/> lifts the bound again right after it.</summary>
    public const string Bounded = $"set local lock_timeout = '{MaxWait}'";

    public const string Unbounded = "set local lock_timeout = 0";

    /// <summary>Passes the gate (waits only while a swap holds it).</summary>
    public const string Pass = $"select pg_advisory_xact_lock_shared({Keys})";

    /// <summary>Passes the gate waiting at most <see cref="MaxWait"/>, as one command text.</summary>
    public const string PassWithinMaxWait = $"{Bounded}; {Pass}; {Unbounded}";

    /// <summary>Closes the gate until the transaction ends.</summary>
    public const string Close = $"select pg_advisory_xact_lock({Keys})";
}
