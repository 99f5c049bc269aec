using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace StatementTracker.Security;

/// <summary>
/// Who may do what: API keys (header, hashed, constant-time) and JWT bearer tokens authenticate;
/// writes need <c>analyst</c>, <c>/admin</c> needs <c>admin</c>, reads are open unless configured to need <c>reader</c>;
/// an endpoint that names no policy may only be read.
/// </summary>
public static class Configuration
{
    private const string CallerScheme = "Caller";

    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        // Refuse to start on a loose configuration, before anything listens.
        JwtValidation.Check(options.Jwt);
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.Section));
        services.AddSingleton(new ApiKeys(options));

        var authentication = services
            .AddAuthentication(CallerScheme)
            .AddPolicyScheme(CallerScheme, "API key or bearer token", scheme =>
                scheme.ForwardDefaultSelector = context =>
                    options.Jwt.Enabled && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? JwtBearerDefaults.AuthenticationScheme
                        : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        if (options.Jwt.Enabled) authentication.AddJwtBearer(jwt => JwtValidation.Configure(jwt, options.Jwt));

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Write, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Analyst))
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.Read, ReadPolicy(options))
            .SetFallbackPolicy(UndeclaredPolicy(options));
        return services;
    }

    /// <summary>For endpoints that name no policy: reads as <see cref="Policies.Read"/>, anything else denied.</summary>
    private static AuthorizationPolicy UndeclaredPolicy(SecurityOptions options) =>
        AuthorizationPolicy.Combine(ReadPolicy(options), new AuthorizationPolicyBuilder().AddRequirements(new ReadsOnlyRequirement()).Build());

    private static AuthorizationPolicy ReadPolicy(SecurityOptions options) =>
        options.ReadsRequireReader
            ? new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Reader, Roles.Analyst, Roles.Admin).Build()
            : new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build();
}
