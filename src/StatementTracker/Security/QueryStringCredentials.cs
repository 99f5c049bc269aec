using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StatementTracker.Security;

/// <summary>
/// Refuses, on every route and method, a request that carries credentials in its query string: URLs end up in
/// proxy and server logs, browser history and Referer headers, so a key sent there must be treated as leaked,
/// and accepting it (even on an open read) would teach clients to keep sending it.
/// </summary>
public static class QueryStringCredentials
{
    /// <summary>Query names that carry credentials whatever their value.</summary>
    public static readonly string[] Names = ["api_key", "apikey", "api-key", "x-api-key", "key", "token", "access_token"];

    public static void UseQueryStringCredentialRefusal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.QueryString.HasValue && Carries(context.Request.Query, context.RequestServices.GetRequiredService<ApiKeys>()))
            {
                var header = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.ApiKeyHeader;
                await Results.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "Authentication required.",
                    Detail = $"Credentials are never accepted in the query string: send the API key in the {header} header.",
                }).ExecuteAsync(context);
                return;
            }
            await next(context);
        });

    /// <summary>A credential's name, or any value that is a configured key whatever it is called.</summary>
    public static bool Carries(IQueryCollection query, ApiKeys keys) =>
        query.Any(parameter => Names.Contains(parameter.Key, StringComparer.OrdinalIgnoreCase)
                               || parameter.Value.Any(value => !string.IsNullOrEmpty(value) && keys.Match(value) is not null));
}
