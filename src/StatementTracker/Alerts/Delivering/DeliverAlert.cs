using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using JasperFx.Core;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace StatementTracker.Alerts.Delivering;

/// <summary>
/// Send one alert to one subscription. Durable: it waits in Wolverine's inbox on PostgreSQL until the
/// receiver answers 2xx, across restarts and crashes. The body is fixed when the alert is raised, so every
/// retry carries the same bytes, the same <c>Alert-Id</c> and the same signature.
/// </summary>
public sealed record DeliverAlert(Guid AlertId, Guid SubscriptionId, string Body);

/// <summary>The receiver did not take the alert (a non-2xx answer, a timeout, a refused connection).</summary>
public sealed class AlertNotDeliveredException(string message, Exception? inner = null) : Exception(message, inner);

public static class DeliverAlertHandler
{
    public const string HttpClientName = "alerts";
    public const string AlertIdHeader = "Alert-Id";
    public const string SignatureHeader = "Alert-Signature";

    /// <summary>Back-off between attempts: quick at first, then hours apart, for over 24 hours in all.</summary>
    public static readonly TimeSpan[] RetryDelays =
    [
        1.Seconds(), 5.Seconds(), 30.Seconds(), 2.Minutes(), 10.Minutes(), 30.Minutes(),
        1.Hours(), 2.Hours(), 4.Hours(), 6.Hours(), 6.Hours(), 6.Hours(),
    ];

    public static void Configure(HandlerChain chain) =>
        chain.OnException<AlertNotDeliveredException>().ScheduleRetry(RetryDelays).Then.MoveToErrorQueue();

    public static async Task Handle(
        DeliverAlert alert, Envelope envelope, IDocumentStore store, IHttpClientFactory clients, ILogger<DeliverAlert> logger,
        CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<AlertSubscription>(alert.SubscriptionId, cancellation) is not { } subscription)
        {
            logger.LogInformation("Alert {AlertId} dropped: subscription {SubscriptionId} was deleted", alert.AlertId, alert.SubscriptionId);
            return;
        }

        var attempt = Math.Max(1, envelope.Attempts);
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
            {
                Content = new StringContent(alert.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(AlertIdHeader, alert.AlertId.ToString());
            request.Headers.Add(SignatureHeader, Sign(alert.Body, subscription.Secret));
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellation);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"The receiver answered {status}.";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            error = ex is TaskCanceledException ? "The receiver did not answer in time." : ex.Message;
        }

        await RecordAsync(store, alert, attempt, status, error, cancellation);
        if (error is not null) throw new AlertNotDeliveredException($"Alert {alert.AlertId} to {subscription.Url}, attempt {attempt}: {error}");
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the body's UTF-8 bytes, keyed with the subscription's secret.</summary>
    public static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static async Task RecordAsync(IDocumentStore store, DeliverAlert alert, int attempt, int? status, string? error, CancellationToken cancellation)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            $"""
             insert into {AlertDeliveriesTable.QualifiedName(store.Options.DatabaseSchemaName)}
               (subscription_id, alert_id, attempt, attempted_at, status_code, error, delivered)
             values (@subscription, @alert, @attempt, now(), @status, @error, @delivered)
             """,
            connection);
        command.Parameters.AddWithValue("subscription", alert.SubscriptionId);
        command.Parameters.AddWithValue("alert", alert.AlertId);
        command.Parameters.AddWithValue("attempt", attempt);
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)status ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        command.Parameters.AddWithValue("delivered", error is null);
        await command.ExecuteNonQueryAsync(cancellation);
        Operations.Telemetry.AlertDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", error is null ? "delivered" : "failed"));
    }
}
