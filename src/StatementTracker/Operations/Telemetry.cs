using System.Diagnostics.Metrics;

namespace StatementTracker.Operations;

/// <summary>
/// The service's own metrics (meter <c>StatementTracker</c>), exported with ASP.NET Core's, Npgsql's and the
/// runtime's on <c>/metrics</c> and by OTLP. Counted where the fact is certain: a statement once its transaction
/// committed, an alert once the receiver answered.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "StatementTracker";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> StatementsRecorded =
        Meter.CreateCounter<long>("statementtracker.statements.recorded", "{statement}", "Statements recorded (first time; reposts not counted).");

    public static readonly Counter<long> StatementsCorrected =
        Meter.CreateCounter<long>("statementtracker.statements.corrected", "{correction}", "Corrections recorded.");

    public static readonly Counter<long> StatementsRetracted =
        Meter.CreateCounter<long>("statementtracker.statements.retracted", "{retraction}", "Retractions recorded.");

    public static readonly Counter<long> ImportRows =
        Meter.CreateCounter<long>("statementtracker.import.rows", "{row}", "Rows imported, by outcome (imported, already_present, skipped, rejected).");

    public static readonly Counter<long> AlertDeliveries =
        Meter.CreateCounter<long>("statementtracker.alerts.deliveries", "{attempt}", "Alert delivery attempts, by outcome (delivered, failed).");

    public static readonly Counter<long> KeptAnswerReads =
        Meter.CreateCounter<long>("statementtracker.kept_answers.reads", "{read}", "Position reads, by outcome (hit: a kept answer given again; miss: read from the tables).");

    /// <summary>The last sampled projection positions; read by the gauges at each scrape.</summary>
    public static volatile ProjectionSample? LastProjectionSample;

    static Telemetry()
    {
        Meter.CreateObservableGauge("statementtracker.events.high_water_mark", () => LastProjectionSample?.HighWaterMark ?? 0,
            "{event}", "The sequence of the last event in the store (as sampled).");
        Meter.CreateObservableGauge("statementtracker.projection.lag", () => LastProjectionSample is { } sample
                ? sample.Positions.Select(p => new Measurement<long>(Math.Max(0, sample.HighWaterMark - p.Value), new KeyValuePair<string, object?>("projection", p.Key)))
                : [],
            "{event}", "How many events each async projection is behind the store.");
    }

    /// <summary>Counts one imported row by its outcome (imported, already_present, skipped, rejected).</summary>
    public static void CountImportRow(string outcome) => ImportRows.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts one position read by its outcome (hit, miss).</summary>
    public static void CountKeptAnswer(string outcome) => KeptAnswerReads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Makes sure the meter exists before exporters look for it.</summary>
    public static void Touch() => _ = StatementsRecorded;
}

public sealed record ProjectionSample(long HighWaterMark, IReadOnlyDictionary<string, long> Positions);
