namespace StatementTracker.Operations;

/// <summary>The <c>Limits</c> configuration section: how much one request and one caller may ask for.</summary>
public sealed class LimitOptions
{
    public const string Section = "Limits";

    /// <summary>Larger request bodies answer 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The body limit of routes that take many statements at once (<c>POST /statements/batch</c>).</summary>
    public long MaxBatchBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The body limit of <c>POST /imports</c>: the file, as sent (compressed or not).</summary>
    public long MaxImportBodyBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>The most statements one page of <c>GET /statements</c> holds.</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>How far <c>GET /statements?count=exact</c> counts; beyond it the total is a lower bound.</summary>
    public int MaxExactCount { get; set; } = 100_000;

    /// <summary>The most entries one page of a history or of shifts holds (<c>historyLimit</c>, <c>limit</c>).</summary>
    public int MaxHistoryLimit { get; set; } = 500;

    /// <summary>
    /// The most events one statement's stream may hold: a correction, source or retraction past it answers 409,
    /// so no statement grows without bound (every change is kept, and its stream is read whole to change it).
    /// </summary>
    public int MaxEventsPerStatement { get; set; } = 1000;

    /// <summary>
    /// Requests per second each caller (API key, token subject, or address when anonymous) may make on average;
    /// a batch weighs as many requests as it holds statements...
    /// </summary>
    public int RequestsPerSecond { get; set; } = 1000;

    /// <summary>...and at once, after a quiet spell. Zero turns rate limiting off.</summary>
    public int Burst { get; set; } = 2000;

    /// <summary>How many costly reads (see <see cref="HeavyReads"/>) the service answers at once, across all callers...</summary>
    public int HeavyReadConcurrency { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>...and how many may wait for their turn; more answer 429.</summary>
    public int HeavyReadQueue { get; set; } = 64;

    /// <summary>
    /// How much memory answers of position reads may keep, to give them again while they hold (see
    /// <see cref="Http.KeptAnswers"/>); one answer at most an eighth of it, and 256 KiB. Zero keeps none.
    /// </summary>
    public long KeptAnswerBytes { get; set; } = 16 * 1024 * 1024;
}
