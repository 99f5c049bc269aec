using Microsoft.AspNetCore.Mvc;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using StatementTracker.Security;
using Wolverine.Http;

namespace StatementTracker.Alerts.Subscribing;

public sealed record AlertDelivery(Guid AlertId, int Attempt, DateTimeOffset AttemptedAt, int? StatusCode, bool Delivered, string? Error);

public sealed record SubscriptionDeliveries(Guid SubscriptionId, IReadOnlyList<AlertDelivery> Deliveries);

/// <summary><c>GET /subscriptions</c>, <c>DELETE /subscriptions/{id}</c> and <c>GET /subscriptions/{id}/deliveries</c> (analyst).</summary>
public static class ManageSubscriptionsEndpoints
{
    public const int DeliveriesShown = 100;

    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(SubscriptionView[]), 200)]
    [WolverineGet("/subscriptions")]
    public static async Task<IResult> List(IQuerySession session, CancellationToken cancellation)
    {
        var subscriptions = await session.Query<AlertSubscription>().OrderBy(s => s.CreatedAt).ToListAsync(cancellation);
        return Results.Ok(subscriptions.Select(SubscriptionView.Of).ToArray());
    }

    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(204)]
    [WolverineDelete("/subscriptions/{id}")]
    public static async Task<IResult> Delete(string id, IDocumentSession session, CancellationToken cancellation)
    {
        if (await FindAsync(session, id, cancellation) is not { } subscription) return NotFound();
        session.Delete(subscription);
        await session.SaveChangesAsync(cancellation);
        return Results.NoContent();
    }

    /// <summary>The latest delivery attempts, newest first.</summary>
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(SubscriptionDeliveries), 200)]
    [WolverineGet("/subscriptions/{id}/deliveries")]
    public static async Task<IResult> Deliveries(string id, IQuerySession session, CancellationToken cancellation)
    {
        if (await FindAsync(session, id, cancellation) is not { } subscription) return NotFound();
        var table = AlertDeliveriesTable.QualifiedName(session.DocumentStore.Options.DatabaseSchemaName);
        var deliveries = await session.ListAsync(
            $"""
             select alert_id, attempt, attempted_at, status_code, delivered, error from {table}
             where subscription_id = @subscription order by id desc limit {DeliveriesShown}
             """,
            new { subscription = subscription.Id },
            row => new AlertDelivery(
                row.Get<Guid>("alert_id"), row.Get<int>("attempt"), row.Get<DateTimeOffset>("attempted_at"),
                row.MaybeValue<int>("status_code"), row.Get<bool>("delivered"), row.Maybe<string>("error")),
            cancellation);
        return Results.Ok(new SubscriptionDeliveries(subscription.Id, deliveries));
    }

    private static async Task<AlertSubscription?> FindAsync(IQuerySession session, string id, CancellationToken cancellation) =>
        Guid.TryParse(id, out var subscriptionId) ? await session.LoadAsync<AlertSubscription>(subscriptionId, cancellation) : null;

    private static IResult NotFound() => Problems.NotFound("No such subscription.").ToResult();
}
