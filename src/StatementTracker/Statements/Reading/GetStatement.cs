using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using Wolverine.Http;

namespace StatementTracker.Statements.Reading;

/// <summary><c>GET /statements/{id}</c>: the statement as stored, with its version.</summary>
public static class GetStatementEndpoint
{
    [WolverineGet("/statements/{id}")]
    public static async Task<IResult> Get(string id, IQuerySession session, CancellationToken cancellation)
    {
        if (!Guid.TryParse(id, out var statementId)) return NotFound(id);

        var statement = await session.LoadAsync<Statement>(statementId, cancellation);
        return statement is null ? NotFound(id) : Results.Ok(statement);
    }

    private static IResult NotFound(string id) => Problems.NotFound($"No statement with id '{id}'.").ToResult();
}
