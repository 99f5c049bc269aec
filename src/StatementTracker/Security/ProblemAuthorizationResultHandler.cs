using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StatementTracker.Security;

/// <summary>
/// 401 and 403 answer with problem details that say what is missing, not just a status code. A refused bearer
/// token gets a fixed text: the token library's own message (which key, which issuer, which check failed) goes
/// to the log only.
/// </summary>
[Wolverine.Attributes.WolverineIgnore] // an ASP.NET Core handler, not a message handler
public sealed class ProblemAuthorizationResultHandler(IOptions<SecurityOptions> security, ILogger<ProblemAuthorizationResultHandler> logger)
    : IAuthorizationMiddlewareResultHandler
{
    public const string TokenRefused = "The bearer token was not accepted: check its signature, issuer, audience and lifetime.";

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
            var failure = (await context.AuthenticateAsync()).Failure;
            if (failure is not null and not CallerRefused)
                logger.LogDebug("Bearer token refused for {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, failure.Message);
            await Results.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required.",
                Detail = failure switch
                {
                    null => $"Send an API key in the {security.Value.ApiKeyHeader} header, or a bearer token.",
                    CallerRefused ours => ours.Message,
                    _ => TokenRefused,
                },
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
