using Marten;
using Npgsql;
using Shouldly;
using StatementTracker.Infrastructure;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>The settings every connection of the service carries, and those bulk work changes on its own.</summary>
[Collection(ApiCollection.Name)]
public class DatabaseSessionSettingsTests(AppFixture app)
{
    [BoundedFact]
    public async Task the_services_queries_are_time_limited_planned_for_their_parameters_and_never_jit_compiled()
    {
        await using var session = app.Store.QuerySession();
        var settings = await SettingsAsync(session.Connection!);
        settings.ShouldBe(("off", "15s", "force_custom_plan"));
    }

    [BoundedFact]
    public async Task bulk_work_runs_without_a_time_limit_and_with_jit_compilation()
    {
        await using var connection = await app.Store.OpenForBulkWorkAsync(CancellationToken.None);
        var settings = await SettingsAsync(connection);
        settings.ShouldBe(("on", "0", "force_custom_plan"));
    }

    private static async Task<(string Jit, string StatementTimeout, string PlanCacheMode)> SettingsAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select current_setting('jit'), current_setting('statement_timeout'), current_setting('plan_cache_mode')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }
}
