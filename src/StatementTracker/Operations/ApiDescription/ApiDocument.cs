using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using StatementTracker.Security;

namespace StatementTracker.Operations.ApiDescription;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, built from the endpoints themselves: each operation's
/// success shape from its <c>[ProducesResponseType]</c>, its problem answers and security from what the
/// endpoint is (a read, a write, an admin route), and <c>/docs</c>, an interactive reference of it served by
/// the service itself, with no CDN.
/// </summary>
public static class ApiDocument
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ApiKeyScheme = "apiKey";
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "StatementTracker",
                    Version = "v1",
                    Description = "What governments say, recorded as events: statements with their sources and corrections, " +
                                  "each country's positions per topic, alignment, shifts, imports and exports.",
                };
                document.Servers = [new OpenApiServer { Url = "/", Description = "This service" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [ApiKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
                        Description = "An API key, in the header only (a key in the query string is refused).",
                    },
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                        Description = "A JWT from the configured authority or signed with the shared key.",
                    },
                };
                return Task.CompletedTask;
            });
            // A property that may be null is never required: clients may leave it out (and answers may hold null).
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(Statements.Recording.RecordStatement) && SeedExamples.Headline() is { } example)
                    schema.Examples = [example];
                // A partial date travels as text (YYYY, YYYY-MM or YYYY-MM-DD), not as the struct it is in code.
                var clrType = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (clrType == typeof(Vocabulary.PartialDate))
                {
                    schema.Type = context.JsonTypeInfo.Type == clrType ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Properties = null;
                    schema.Required = null;
                    schema.Pattern = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";
                    schema.Description = "A date known to the year, the month or the day: YYYY, YYYY-MM or YYYY-MM-DD.";
                }
                if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
                    foreach (var (name, property) in properties)
                        if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null)) required.Remove(name);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(TypedShapes.ApplyAsync);
            options.AddOperationTransformer(ProblemResponses.AddAsync);
        });
        return services;
    }

    public static void MapApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        endpoints.MapScalarApiReference("/docs", options => options
                .WithTitle("StatementTracker API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
    }
}
