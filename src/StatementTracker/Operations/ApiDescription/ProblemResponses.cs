using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StatementTracker.Security;

namespace StatementTracker.Operations.ApiDescription;

/// <summary>
/// Adds to every operation the problem answers it can give (RFC 9457 <c>application/problem+json</c>) and the
/// security it needs, from what the endpoint is: every route may answer 400, 429 and 503; protected routes
/// 401 and 403; routes with an id 404; writes 409 and 413.
/// </summary>
public static class ProblemResponses
{
    public static async Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellation)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policy = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null);
        var method = context.Description.HttpMethod ?? "GET";
        var isWrite = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        var route = context.Description.RelativePath ?? "";
        var problem = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), null, cancellation);
        var validation = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails), null, cancellation);

        operation.Responses ??= new OpenApiResponses();
        void Add(int status, string description, IOpenApiSchema schema)
        {
            var key = status.ToString();
            if (operation.Responses.ContainsKey(key)) return;
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
        }

        Add(400, "Bad input: `errors` names each failing field or parameter.", validation);
        if (policy is not null || isWrite)
        {
            Add(401, "No credentials, or credentials that are not accepted.", problem);
            Add(403, "The caller's role may not do this.", problem);
        }
        if (route.Contains('{')) Add(404, "No such resource.", problem);
        if (isWrite)
        {
            Add(409, "A conflict: the id exists with other content, a stale version, or a limit reached.", problem);
            Add(413, "The request body is too large.", problem);
        }
        Add(429, "Too many requests: see Retry-After.", problem);
        Add(503, "The database is unavailable or busy: see Retry-After.", problem);

        // Either credential will do; reads open to anyone also list "none" (an empty requirement), since a
        // deployment may still ask readers for a key (Security__ReadsRequireReader).
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocument.ApiKeyScheme, context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocument.BearerScheme, context.Document)] = [] },
        ];
        if (!isWrite && policy is null or Policies.Read) operation.Security.Insert(0, new OpenApiSecurityRequirement());
        operation.Description ??= policy switch
        {
            Policies.Write => "Role `analyst`.",
            Policies.Admin => "Role `admin`.",
            Policies.Read => "Open to anyone, or role `reader` when reads require it.",
            _ => null,
        };
    }
}
