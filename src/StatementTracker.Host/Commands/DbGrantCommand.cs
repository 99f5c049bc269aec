using JasperFx.CommandLine;
using Marten;
using Npgsql;
using StatementTracker.Infrastructure;

namespace StatementTracker.Host.Commands;

public sealed class DbGrantInput : NetCoreInput
{
    [Description("The role the service runs as")]
    public string Role { get; set; } = "";
}

[Description("Grants the service's role what it needs and no more (run after db-apply, as the schema's owner)", Name = "db-grant")]
public sealed class DbGrantCommand : JasperFxAsyncCommand<DbGrantInput>
{
    public override async Task<bool> Execute(DbGrantInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Role))
        {
            Console.Error.WriteLine("Name the service's role: db-grant ROLE");
            return false;
        }
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(ServiceRole.GrantSql(store, input.Role), connection);
        await command.ExecuteNonQueryAsync();
        Console.WriteLine($"Granted {input.Role} the service's rights.");
        return true;
    }
}
