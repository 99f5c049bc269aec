using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StatementTracker.Infrastructure;
using Wolverine.Http;

namespace StatementTracker.Operations.ApiDescription;

/// <summary>
/// Our endpoints answer <c>IResult</c> (a problem or a value, decided at run time), so the shapes come from
/// each endpoint's own declarations: its <c>[ProducesResponseType]</c> attributes replace the untyped success
/// answer, and a parameter read by the strict JSON reader (<see cref="JsonBodyAttribute"/>) is the request body.
/// </summary>
public static class TypedShapes
{
    public static async Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellation)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var method = metadata.OfType<HttpChain>().FirstOrDefault()?.Method.Method;
        if (method is null) return;

        var declared = method.GetCustomAttributes<ProducesResponseTypeAttribute>().ToArray();
        operation.Responses ??= new OpenApiResponses();
        foreach (var untyped in operation.Responses.Where(r => r.Key.StartsWith('2') || r.Key == "404").Select(r => r.Key).ToArray())
            operation.Responses.Remove(untyped);
        foreach (var answer in declared)
        {
            var response = new OpenApiResponse { Description = Describe(answer.StatusCode) };
            if (answer.Type is { } type && type != typeof(void))
            {
                var schema = await SchemaOfAsync(type, context, cancellation);
                var collected = new Microsoft.AspNetCore.Mvc.Formatters.MediaTypeCollection();
                ((Microsoft.AspNetCore.Mvc.ApiExplorer.IApiResponseMetadataProvider)answer).SetContentTypes(collected);
                var declaredTypes = collected.ToArray();
                var contentTypes = declaredTypes.Length > 0 ? declaredTypes : ["application/json"];
                response.Content = contentTypes.ToDictionary(c => c, _ => new OpenApiMediaType { Schema = schema });
            }
            operation.Responses[answer.StatusCode.ToString()] = response;
        }

        var body = method.GetParameters().FirstOrDefault(p => p.ParameterType.GetCustomAttribute<JsonBodyAttribute>() is not null);
        if (body is not null && operation.RequestBody is null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await SchemaOfAsync(body.ParameterType, context, cancellation) },
                },
            };
        }
    }

    /// <summary>
    /// A named component for each of our types (so generated clients get its name), referred to where used; an
    /// array of one as an array of references; text answers (CSV, JSON Lines, Atom) as strings.
    /// </summary>
    private static async Task<IOpenApiSchema> SchemaOfAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellation)
    {
        if (type == typeof(string)) return new OpenApiSchema { Type = JsonSchemaType.String };
        if (type.IsArray) return new OpenApiSchema { Type = JsonSchemaType.Array, Items = await SchemaOfAsync(type.GetElementType()!, context, cancellation) };
        var name = NameOf(type);
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(name) != true)
            document.AddComponent<IOpenApiSchema>(name, await context.GetOrCreateSchemaAsync(type, null, cancellation));
        return new OpenApiSchemaReference(name, document);
    }

    /// <summary>A type's name as a component: <c>Page&lt;Shift&gt;</c> is <c>ShiftPage</c>.</summary>
    private static string NameOf(Type type) =>
        type.IsGenericType
            ? string.Concat(type.GetGenericArguments().Select(NameOf)) + type.Name[..type.Name.IndexOf('`')]
            : type.Name;

    private static string Describe(int status) => status switch
    {
        StatusCodes.Status200OK => "OK.",
        StatusCodes.Status201Created => "Created.",
        StatusCodes.Status202Accepted => "Accepted: see Location.",
        StatusCodes.Status204NoContent => "Done.",
        StatusCodes.Status304NotModified => "Not modified.",
        _ => $"HTTP {status}.",
    };
}
