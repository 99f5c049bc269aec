using Npgsql;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary><c>/health/ready</c> fails while an async projection lags more than <c>Health:MaxProjectionLag</c> events.</summary>
[Collection(ProjectionLagCollection.Name)]
public class ReadinessLagTests(ProjectionLagFixture app)
{
    private Task<(int Status, System.Text.Json.Nodes.JsonNode? Body, HttpResponseMessage Response)> ReadyAsync() =>
        app.Host.SendAsync(HttpMethod.Get, "/health/ready", apiKey: TestKeys.Admin);

    [BoundedFact]
    public async Task readiness_fails_while_a_projection_lags_past_the_limit_and_recovers_when_it_catches_up()
    {
        // A first event gives the projection its progress row.
        await app.Host.RecordAsync(StatementBodies.Valid());
        await app.WaitForProjectionsAsync();
        (await ReadyAsync()).Status.ShouldBe(200);

        // Holding the projection's progress row stops it recording progress, so the events below stay unprojected.
        await using var holder = new NpgsqlConnection(app.ConnectionString);
        await holder.OpenAsync();
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand("select 1 from public.mt_event_progression where name = 'PositionHistory:All' for update", holder, transaction))
                (await hold.ExecuteScalarAsync()).ShouldBe(1, "the projection's progress row exists");
            var behind = ProjectionLagFixture.MaxProjectionLag + 2;
            for (var i = 0; i < behind; i++) await app.Host.RecordAsync(StatementBodies.Valid());

            var (status, ready, _) = await ReadyAsync();

            status.ShouldBe(503, ready?.ToJsonString());
            ready!["status"]!.GetValue<string>().ShouldBe("Unhealthy");
            ready["checks"]!["projections"]!["description"]!.GetValue<string>()
                .ShouldBe($"PositionHistory is {behind} events behind (at most {ProjectionLagFixture.MaxProjectionLag}).");
            await transaction.RollbackAsync();
        }

        await Eventually.TrueAsync(async () => (await ReadyAsync()).Status == 200, TimeSpan.FromSeconds(30), "readiness once the projection caught up");
    }
}
