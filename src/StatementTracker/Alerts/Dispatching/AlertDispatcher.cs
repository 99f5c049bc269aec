using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatementTracker.Alerts.Delivering;
using StatementTracker.Infrastructure;
using StatementTracker.Positions;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;
using Wolverine.Marten;

namespace StatementTracker.Alerts.Dispatching;

/// <summary>What a subscriber receives: the shift, the statement it happened at, and where to read more.</summary>
public sealed record ShiftAlert(Guid AlertId, string Type, AlertedShift Shift, Statement? Statement, AlertLinks Links);

public sealed record AlertedShift(
    string Country, string? CountryName, string Topic, StanceOf From, StanceOf To, PartialDate StatedOn, Guid StatementId, DateTimeOffset RaisedAt);

public sealed record AlertLinks(string Statement, string Position, string History);

/// <summary>
/// Turns the shifts the projection raised into one durable <see cref="DeliverAlert"/> per matching
/// subscription, in the same transaction that marks the shifts as dispatched (Wolverine's outbox on
/// Marten): a shift is handed over exactly once, whichever node claims it, and nothing handed over is lost.
/// </summary>
public sealed class AlertDispatcher(
    IDocumentStore store, IServiceProvider services, IOptions<AlertOptions> options, IServer server, ILogger<AlertDispatcher> logger)
    : BackgroundService
{
    public const int BatchSize = 1000;

    /// <summary>How many raised shifts one transaction marks dispatched when there is no subscription.</summary>
    public const int UnsubscribedBatchSize = 100_000;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var interval = TimeSpan.FromSeconds(options.Value.DispatchSeconds);
        while (!stopping.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await DispatchAsync(stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not dispatch raised shifts; trying again shortly");
            }
            if (!more)
            {
                try { await Task.Delay(interval, stopping); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Dispatches up to <see cref="BatchSize"/> raised shifts; answers whether more may be waiting.</summary>
    public async Task<bool> DispatchAsync(CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        await using var session = store.LightweightSession();
        outbox.Enroll(session);
        await session.BeginTransactionAsync(cancellation);

        var raised = RaisedShiftsTable.QualifiedName(store.Options.DatabaseSchemaName);
        var subscriptions = await session.Query<AlertSubscription>().ToListAsync(cancellation);
        if (subscriptions.Count == 0)
        {
            // Nobody to alert: the shifts are marked dispatched in bulk, without being read. After a large import
            // the projection raises hundreds of thousands; going through them 1,000 at a time took CPU from reads.
            var marked = await session.ScalarAsync<int>(
                $"""
                 with picked as (
                   select id from {raised} where dispatched_at is null order by seq limit {UnsubscribedBatchSize}
                   for update skip locked),
                 marked as (update {raised} r set dispatched_at = now() from picked where r.id = picked.id returning 1)
                 select count(*)::int from marked
                 """, new { }, cancellation);
            await session.SaveChangesAsync(cancellation);
            return marked == UnsubscribedBatchSize;
        }
        var shifts = await session.ListAsync(
            $"""
             select id, country, topic, statement_id, shift_from, shift_to, stated_on, raised_at from {raised}
             where dispatched_at is null order by seq limit {BatchSize}
             for update skip locked
             """,
            new { },
            row => (Id: row.Get<Guid>("id"), Shift: new AlertedShift(
                row.Get<string>("country"), Countries.NameOf(row.Get<string>("country")), row.Get<string>("topic"),
                StanceOf.Code(row.Get<string>("shift_from")), StanceOf.Code(row.Get<string>("shift_to")),
                PartialDate.Parse(row.Get<string>("stated_on")), row.Get<Guid>("statement_id"), row.Get<DateTimeOffset>("raised_at"))),
            cancellation);
        if (shifts.Count == 0) return false;

        var statements = (await session.LoadManyAsync<Statement>(cancellation, shifts.Select(s => s.Shift.StatementId).Distinct())).ToDictionary(s => s.Id);
        var baseUrl = BaseUrl();
        foreach (var (id, shift) in shifts)
        {
            foreach (var subscription in subscriptions.Where(s => s.Matches(shift.Country, shift.Topic)))
            {
                var alertId = AlertIdOf(id, subscription.Id);
                var body = JsonSerializer.Serialize(new ShiftAlert(alertId, "shift", shift, statements.GetValueOrDefault(shift.StatementId), new AlertLinks(
                    $"{baseUrl}statements/{shift.StatementId}",
                    $"{baseUrl}countries/{shift.Country}/positions/{shift.Topic}",
                    $"{baseUrl}statements/{shift.StatementId}/history")), JsonSerializerOptions.Web);
                await outbox.PublishAsync(new DeliverAlert(alertId, subscription.Id, body));
            }
        }
        session.QueueSqlCommand($"update {raised} set dispatched_at = now() where id = any(?)", shifts.Select(s => s.Id).ToArray());
        await session.SaveChangesAsync(cancellation);
        return shifts.Count == BatchSize;
    }

    /// <summary>One alert per shift and subscription, with the same id however often it is retried.</summary>
    public static Guid AlertIdOf(Guid shiftId, Guid subscriptionId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"{shiftId}|{subscriptionId}")));

    private string BaseUrl()
    {
        var configured = options.Value.PublicBaseUrl
                         ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                         ?? "http://localhost/";
        return configured.EndsWith('/') ? configured : configured + "/";
    }
}
