using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using StatementTracker.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using StatementTracker.Infrastructure;
using Wolverine.Http;

namespace StatementTracker.Admin;

/// <summary>
/// <c>POST /admin/projections/{name}/rebuild</c>: replays every event into the projection, in the
/// background. 202 at once; <c>GET /admin/projections</c> shows progress and the outcome.
/// </summary>
public static class RebuildProjectionEndpoint
{
    [Authorize(Policy = Policies.Admin)]
    [ProducesResponseType(typeof(RebuildAccepted), 202)]
    [WolverinePost("/admin/projections/{name}/rebuild")]
    public static async Task<IResult> Post(string name, ProjectionRebuilds rebuilds, ClaimsPrincipal user, CancellationToken cancellation)
    {
        if (rebuilds.Projections().All(p => p.Name != name))
            return Problems.NotFound("No projection of that name: GET /admin/projections lists them.").ToResult();

        if (!await rebuilds.TryStartAsync(name, Actors.IdOf(user), cancellation))
            return Problems.Conflict($"Projection '{name}' is being rebuilt already.").ToResult();

        return Results.Accepted("/admin/projections", new RebuildAccepted(name, ProjectionRebuilds.Rebuilding));
    }
}

/// <summary>A rebuild has started; <c>GET /admin/projections</c> shows its progress.</summary>
public sealed record RebuildAccepted(string Projection, string Status);
