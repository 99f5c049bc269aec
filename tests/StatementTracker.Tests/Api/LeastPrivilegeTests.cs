using Alba;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using StatementTracker.Tests.Support;
using Wolverine;

namespace StatementTracker.Tests.Api;

/// <summary>
/// The schema is made by an owner role (<c>db-apply</c>, then <c>db-grant</c>), and the service runs as a role
/// that reads and writes, rebuilds its read models, and cannot drop or alter the event store.
/// </summary>
public class LeastPrivilegeTests(TestDatabase database)
{
    [BoundedFact(Timeout = TestBounds.CommandLineTest)]
    public async Task the_service_role_records_reads_and_rebuilds_but_cannot_drop_or_alter_the_event_store()
    {
        var superuser = await database.CreateDatabaseAsync("privileges");
        var name = new NpgsqlConnectionStringBuilder(superuser).Database!;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (owner, service) = ($"st_owner_{suffix}", $"st_service_{suffix}");
        await ExecuteAsync(superuser,
            $"create role {owner} login password 'owner-pw'; create role {service} login password 'service-pw'; " +
            $"alter database {name} owner to {owner}; alter schema public owner to {owner}; grant {service} to {owner}");
        var ownerConnection = As(superuser, owner, "owner-pw");
        var serviceConnection = As(superuser, service, "service-pw");

        var (applied, applyOutput) = await HostProcess.RunAsync(ownerConnection, "db-apply");
        applied.ShouldBe(0, applyOutput);
        var (granted, grantOutput) = await HostProcess.RunAsync(ownerConnection, "db-grant", service);
        granted.ShouldBe(0, grantOutput);

        await using (var host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:StatementTracker", serviceConnection);
            foreach (var (key, value) in TestKeys.Settings()) builder.UseSetting(key, value);
            builder.UseSetting("Database:AutoCreate", "None");
            builder.ConfigureServices(services => services.RunWolverineInSoloMode());
        }))
        {
            var topic = StatementBodies.UniqueTopic("least-privilege");
            (await host.PostJsonAsync("/statements", StatementBodies.Valid(topic, statedOn: "2024-01-01"))).Status.ShouldBe(201);
            (await host.PostJsonAsync("/statements", StatementBodies.Valid(topic, statedOn: "2024-02-01", position: "opposes it"))).Status.ShouldBe(201);
            await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
            (await host.GetJsonAsync($"/countries/JPN/positions/{topic}"))["current"]!["stance"]!.GetValue<string>().ShouldBe("oppose");

            (await host.SendAsync(HttpMethod.Post, "/admin/projections/PositionHistory/rebuild")).Status.ShouldBe(202);
            await Eventually.TrueAsync(async () =>
                (await host.GetJsonAsync("/admin/projections"))["projections"]!.AsArray()
                .Any(p => p!["name"]!.GetValue<string>() == "PositionHistory" && p["lastRebuild"]?["status"]?.GetValue<string>() is "completed"),
                TimeSpan.FromSeconds(60), "the rebuild as the service role to complete");
            (await host.GetJsonAsync($"/countries/JPN/positions/{topic}"))["current"]!["stance"]!.GetValue<string>().ShouldBe("oppose");
        }

        foreach (var change in new[] { "drop table public.mt_events", "alter table public.mt_streams add column x int", "truncate public.mt_events",
                     "drop table public.mt_doc_alertsubscription" })
        {
            var refused = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(serviceConnection, change));
            refused.SqlState.ShouldBe("42501", change);
        }
    }

    private static string As(string connectionString, string user, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = user, Password = password }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
