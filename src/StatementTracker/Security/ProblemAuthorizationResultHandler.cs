using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace StatementTracker.Security;

/// <summary>401 and 403 answer with problem details that say what is missing, not just a status code.</summary>
[Wolverine.Attributes.WolverineIgnore] // an ASP.NET Core handler, not a message handler
public sealed class ProblemAuthorizationResultHandler(IOptions<SecurityOptions> security) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }

        if (result.Challenged)
        {
            await context.ChallengeAsync();
            var failure = (await context.AuthenticateAsync()).Failure?.Message;
            await Results.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required.",
                Detail = failure ?? $"Send an API key in the {security.Value.ApiKeyHeader} header, or a bearer token.",
            }).ExecuteAsync(context);
            return;
        }

        await context.ForbidAsync();
        var roles = result.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles).Distinct().ToArray() ?? [];
        await Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Not allowed.",
            Detail = roles.Length > 0
                ? $"This needs the {string.Join(" or ", roles)} role; {context.User.Identity?.Name} does not have it."
                : "You are not allowed to do this.",
        }).ExecuteAsync(context);
    }
}
