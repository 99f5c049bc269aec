using System.Text.Json.Nodes;
using Alba;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

[assembly: AssemblyFixture(typeof(StatementTracker.Testing.TestDatabase))]

namespace StatementTracker.Tests.Support;

/// <summary>The service, hosted in memory against a database of its own: one per test collection.</summary>
public class AppFixture(TestDatabase database) : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();
    public string ConnectionString { get; private set; } = "";

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.CreateDatabaseAsync("api");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:StatementTracker", ConnectionString);
            foreach (var (key, value) in TestKeys.Settings().Concat(Settings())) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });
    }

    /// <summary>Configuration this fixture adds to the test defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    public Task WaitForProjectionsAsync() => Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

    public async Task<IReadOnlyList<JsonNode>> HistoryEventsAsync(Guid id) =>
        (await Host.GetJsonAsync($"/statements/{id}/history"))["events"]!.AsArray().Select(e => e!).ToArray();

    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "api";
}

/// <summary>A host of its own for the replay tests: rebuilds must not disturb other tests' reads.</summary>
public sealed class ReplayFixture(TestDatabase database) : AppFixture(database);

/// <summary>A host with small limits, to see them enforced.</summary>
public sealed class LimitsFixture(TestDatabase database) : AppFixture(database)
{
    public const int MaxBodyBytes = 2048;
    public const int MaxImportBytes = 8192;
    public const int Burst = 5;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Limits:MaxRequestBodyBytes", MaxBodyBytes.ToString()),
        new("Limits:MaxImportBodyBytes", MaxImportBytes.ToString()),
        new("Limits:MaxPageSize", "10"),
        new("Limits:MaxHistoryLimit", "3"),
        new("Limits:Burst", Burst.ToString()),
        new("Limits:RequestsPerSecond", "1"),
    ];
}

[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitsFixture>
{
    public const string Name = "limits";
}

/// <summary>A host that answers one costly read at a time and queues none (and limits callers no more).</summary>
public sealed class HeavyReadsFixture(TestDatabase database) : AppFixture(database)
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("Limits:HeavyReadConcurrency", "1"), new("Limits:HeavyReadQueue", "0")];
}

[CollectionDefinition(Name)]
public sealed class HeavyReadsCollection : ICollectionFixture<HeavyReadsFixture>
{
    public const string Name = "heavy-reads";
}

/// <summary>A host configured so that reads need the reader role.</summary>
public sealed class ReaderOnlyFixture(TestDatabase database) : AppFixture(database)
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("Security:ReadsRequireReader", "true"), new("Alerts:AllowPrivateTargets", "false")];
}

[CollectionDefinition(Name)]
public sealed class ReaderOnlyCollection : ICollectionFixture<ReaderOnlyFixture>
{
    public const string Name = "reader-only";
}

[CollectionDefinition(Name)]
public sealed class ReplayCollection : ICollectionFixture<ReplayFixture>
{
    public const string Name = "replay";
}

/// <summary>A host whose statements may hold only a few events, to see the cap enforced.</summary>
public sealed class StreamLimitsFixture(TestDatabase database) : AppFixture(database)
{
    public const int MaxEventsPerStatement = 4;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("Limits:MaxEventsPerStatement", MaxEventsPerStatement.ToString())];
}

[CollectionDefinition(Name)]
public sealed class StreamLimitsCollection : ICollectionFixture<StreamLimitsFixture>
{
    public const string Name = "stream-limits";
}

/// <summary>A host behind a configured proxy (one address, one network), with a small burst to see whose allowance a request takes.</summary>
public sealed class ForwardingFixture(TestDatabase database) : AppFixture(database)
{
    public const string Proxy = "10.0.0.1";
    public const string ProxyNetwork = "10.1.0.0/16";
    public const int Burst = 2;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Network:KnownProxies:0", Proxy),
        new("Network:KnownNetworks:0", ProxyNetwork),
        new("Limits:Burst", Burst.ToString()),
        new("Limits:RequestsPerSecond", "1"),
    ];
}

[CollectionDefinition(Name)]
public sealed class ForwardingCollection : ICollectionFixture<ForwardingFixture>
{
    public const string Name = "forwarding";
}

/// <summary>A host that is unready past a small projection lag, and checks readiness afresh on every probe.</summary>
public sealed class ProjectionLagFixture(TestDatabase database) : AppFixture(database)
{
    public const int MaxProjectionLag = 2;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("Health:MaxProjectionLag", MaxProjectionLag.ToString()), new("Health:CacheSeconds", "0")];
}

[CollectionDefinition(Name)]
public sealed class ProjectionLagCollection : ICollectionFixture<ProjectionLagFixture>
{
    public const string Name = "projection-lag";
}

/// <summary>A host that catches its projections up by a rebuild once they are a few hundred events behind, looking often.</summary>
public sealed class BulkCatchUpFixture(TestDatabase database) : AppFixture(database)
{
    public const int BulkCatchUpAfter = 300;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("Projections:BulkCatchUpAfter", BulkCatchUpAfter.ToString()), new("Projections:CheckSeconds", "0.2")];
}

[CollectionDefinition(Name)]
public sealed class BulkCatchUpCollection : ICollectionFixture<BulkCatchUpFixture>
{
    public const string Name = "bulk-catch-up";
}
