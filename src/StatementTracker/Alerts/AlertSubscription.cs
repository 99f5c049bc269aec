using Marten;

namespace StatementTracker.Alerts;

/// <summary>
/// A webhook that wants shift alerts: for every shift, or one country's, or one topic's, or both. The
/// secret signs each alert (HMAC-SHA256 of the body) and is never shown again.
/// </summary>
public sealed record AlertSubscription
{
    public Guid Id { get; init; }
    public string Url { get; init; } = "";
    public string? Country { get; init; }
    public string? Topic { get; init; }
    public string Secret { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";

    public bool Matches(string country, string topic) =>
        (Country is null || Country == country) && (Topic is null || Topic == topic);

    /// <summary>Whether anyone subscribes at all: without a subscriber, no shift needs raising for alerts.</summary>
    public static Task<bool> AnyAsync(IQuerySession session, CancellationToken cancellation) =>
        session.Query<AlertSubscription>().AnyAsync(cancellation);
}

/// <summary>A subscription as the API shows it: everything but the secret.</summary>
public sealed record SubscriptionView(Guid Id, string Url, string? Country, string? Topic, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static SubscriptionView Of(AlertSubscription s) => new(s.Id, s.Url, s.Country, s.Topic, s.CreatedAt, s.CreatedBy);
}
