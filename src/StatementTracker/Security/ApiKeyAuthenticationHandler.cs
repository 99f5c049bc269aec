using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;

namespace StatementTracker.Security;

/// <summary>Authenticates a caller by the API key in the configured header; never by the query string (<see cref="QueryStringCredentials"/> refuses those first).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeys keys, IOptions<SecurityOptions> security)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(security.Value.ApiKeyHeader, out var values) || string.IsNullOrEmpty(values))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (values.Count != 1)
            return Task.FromResult(AuthenticateResult.Fail(new CallerRefused($"Send one API key in the {security.Value.ApiKeyHeader} header.")));
        if (keys.Match(values[0]!) is not { } key)
            return Task.FromResult(AuthenticateResult.Fail(new CallerRefused("The API key is not valid.")));

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(Actors.IdClaim, Actors.ForApiKey(key.Name)), .. key.Roles.Select(role => new Claim(ClaimTypes.Role, role))],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>An authentication failure whose message is ours, fixed, and safe to answer with.</summary>
public sealed class CallerRefused(string message) : Exception(message);
