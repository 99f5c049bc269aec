using System.Diagnostics;
using DotNet.Testcontainers.Configurations;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit;

namespace StatementTracker.Testing;

/// <summary>
/// One real PostgreSQL server for the whole test run, chosen in this order:
/// the connection string in <c>STATEMENTTRACKER_TEST_DATABASE</c> when set; a Testcontainers
/// container where a Docker engine answers; otherwise a throwaway cluster started from this
/// machine's PostgreSQL server binaries by <c>deploy/postgres-local.sh</c>.
/// Each test host gets a fresh database of its own on that server.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly bool _ownCluster;

    public TestDatabase()
    {
    }

    private TestDatabase(bool ownCluster) => _ownCluster = ownCluster;

    /// <summary>A throwaway cluster of this test's own, which it may stop and start (local server binaries only).</summary>
    public static TestDatabase WithOwnCluster() => new(ownCluster: true);

    public const string ConnectionVariable = "STATEMENTTRACKER_TEST_DATABASE";

    private PostgreSqlContainer? _container;
    private string? _clusterDirectory;

    public string ServerConnectionString { get; private set; } = "";

    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (_ownCluster)
        {
            await StartLocalClusterAsync();
        }
        else if (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given)
        {
            ServerConnectionString = given;
        }
        else if (TestcontainersSettings.OS.DockerEndpointAuthConfig is not null)
        {
            // Text sorted by byte, as deploy/postgres-local.sh and the compose file make their clusters.
            _container = new PostgreSqlBuilder("postgres:15-alpine").WithEnvironment("POSTGRES_INITDB_ARGS", "--lc-collate=C").Build();
            await _container.StartAsync();
            ServerConnectionString = _container.GetConnectionString();
        }
        else
        {
            await StartLocalClusterAsync();
        }
    }

    private async Task StartLocalClusterAsync()
    {
        Port = FreePort.Next();
        _clusterDirectory = Path.Combine(Path.GetTempPath(), $"statementtracker-tests-{Guid.NewGuid():N}");
        await LocalCluster("start", _clusterDirectory, Port.ToString());
        // The cluster asks for passwords (scram-sha-256); the script keeps the superuser's beside the data.
        var password = (await File.ReadAllTextAsync(_clusterDirectory + ".password")).Trim();
        ServerConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Password={password};Database=postgres";
    }

    /// <summary>Stops this run's own cluster (fast shutdown: connections are cut), as in a database outage.</summary>
    public Task StopServerAsync() => LocalCluster("stop", _clusterDirectory ?? throw new InvalidOperationException("Not a local cluster."));

    public Task StartServerAsync() => LocalCluster("start", _clusterDirectory ?? throw new InvalidOperationException("Not a local cluster."), Port.ToString());

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"st_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
        if (_clusterDirectory is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await LocalCluster("stop", _clusterDirectory);
            try { Directory.Delete(_clusterDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            File.Delete(_clusterDirectory + ".password");
        }
    }

    /// <summary>How long starting or stopping the throwaway cluster may take (initdb included) before the test fails.</summary>
    private static readonly TimeSpan ClusterCommandTimeout = TimeSpan.FromMinutes(2);

    public static async Task LocalCluster(params string[] arguments)
    {
        var script = Path.Combine(Repository.Root, "deploy", "postgres-local.sh");
        var (exitCode, output) = await ChildProcess.RunAsync(new ProcessStartInfo("bash", [script, .. arguments]), ClusterCommandTimeout);
        if (exitCode != 0)
            throw new InvalidOperationException($"postgres-local.sh {string.Join(' ', arguments)} failed: {output}");
    }
}

public static class Repository
{
    /// <summary>The repository's root: the folder above the test binaries that holds StatementTracker.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StatementTracker.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (StatementTracker.sln) above " + AppContext.BaseDirectory);
    }
}
