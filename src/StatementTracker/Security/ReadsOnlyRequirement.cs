using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace StatementTracker.Security;

/// <summary>
/// Fail closed: an endpoint that names no policy may only be read. Any other method on it is denied to everyone,
/// so a write endpoint added without <c>[Authorize(Policy = ...)]</c> is closed, not open.
/// Requests that reach no route (404, 405) run no endpoint and keep their own answer.
/// </summary>
public sealed class ReadsOnlyRequirement : AuthorizationHandler<ReadsOnlyRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadsOnlyRequirement requirement)
    {
        if (context.Resource is HttpContext http
            && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || http.GetEndpoint() is not RouteEndpoint))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
