using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StatementTracker.Alerts.Delivering;
using StatementTracker.Alerts.Dispatching;
using Wolverine;

namespace StatementTracker.Alerts;

/// <summary>The alerts module: subscriptions, the dispatcher of raised shifts, and durable webhook delivery.</summary>
public static class Configuration
{
    public const string DeliveryQueue = "alerts";

    public static void AddAlerts(this StoreOptions options)
    {
        options.Schema.For<AlertSubscription>();
        options.Storage.ExtendedSchemaObjects.Add(AlertDeliveriesTable.Define(options.DatabaseSchemaName));
    }

    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AlertOptions.Section);
        services.Configure<AlertOptions>(section);
        var options = section.Get<AlertOptions>() ?? new AlertOptions();
        services.AddHttpClient(DeliverAlertHandler.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(options.DeliveryTimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectCallback = AlertTargets.Connect(options.AllowPrivateTargets),
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.AddHostedService<AlertDispatcher>();
        return services;
    }

    /// <summary>Deliveries wait in a durable local queue: persisted with the dispatch, retried after a restart.</summary>
    public static void UseAlerts(this WolverineOptions options) =>
        options.PublishMessage<DeliverAlert>().ToLocalQueue(DeliveryQueue).UseDurableInbox();
}
