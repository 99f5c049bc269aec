using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using JasperFx.Core.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace StatementTracker.Infrastructure;

/// <summary>
/// Reads a request body into a command strictly: the body must be one JSON object, every property
/// must be known (a typo such as "postion" must not silently drop data), every value must have the
/// right type, and the command must pass its FluentValidation validator. Anything else ends the
/// request with a 400 problem whose <c>errors</c> name each failing field by its JSON path.
/// </summary>
public static class StrictJsonBody
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            MaxDepth = 16,
        };
        options.Converters.Add(new SafeStringConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Where validators find the <see cref="HttpRequest"/> in <see cref="IValidationContext.RootContextData"/>.</summary>
    public const string RequestKey = "request";

    /// <summary>Called by the generated endpoint code; null means a problem response was written.</summary>
    public static async ValueTask<T?> ReadAsync<T>(HttpContext context) where T : class
    {
        var (command, problem) = await TryReadAsync<T>(context);
        if (problem is null) return command;

        await Results.Problem(problem).ExecuteAsync(context);
        return null;
    }

    public static async ValueTask<(T? Command, ProblemDetails? Problem)> TryReadAsync<T>(HttpContext context) where T : class
    {
        if (!IsJson(context.Request.ContentType))
            return (null, Problems.UnsupportedMediaType("The request body must be JSON (Content-Type: application/json)."));

        T? command;
        try
        {
            command = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Options, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Validation(JsonErrors.Describe(ex)));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.PayloadTooLarge());
        }
        catch (Exception ex) when (ex is InvalidOperationException or DecoderFallbackException or ArgumentException)
        {
            // Invalid UTF-8 and similar text-level faults surface as these rather than JsonException.
            return (null, Problems.Validation(new Dictionary<string, string[]> { ["$"] = ["The request body is not valid UTF-8 JSON."] }));
        }

        if (command is null)
            return (null, Problems.Validation(new Dictionary<string, string[]> { ["$"] = [JsonErrors.NotAnObject] }));

        var validator = context.RequestServices.GetService<IValidator<T>>();
        if (validator is not null)
        {
            // The request goes along so that a rule may look at headers (If-Match stands in for expectedVersion).
            var validation = new ValidationContext<T>(command);
            validation.RootContextData[RequestKey] = context.Request;
            var result = await validator.ValidateAsync(validation, context.RequestAborted);
            if (!result.IsValid) return (null, Problems.Validation(result));
        }

        return (command, null);
    }

    private static bool IsJson(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Strings that PostgreSQL's jsonb cannot store (NUL, unpaired surrogates) are refused at the door,
/// with the field's path, instead of failing at the database.
/// </summary>
internal sealed class SafeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException(JsonErrors.ExpectedString);
        var value = reader.GetString()!;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') throw new JsonException(JsonErrors.NulCharacter);
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) throw new JsonException(JsonErrors.UnpairedSurrogate);
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

/// <summary>Lets endpoint methods take a command read by <see cref="StrictJsonBody"/>.</summary>
public sealed class StrictJsonBodyStrategy : IParameterStrategy
{
    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        variable = null;
        if (!parameter.ParameterType.HasAttribute<JsonBodyAttribute>()) return false;

        var frame = new ReadStrictJsonBodyFrame(parameter.ParameterType, parameter.Name!);
        variable = frame.Command;
        return true;
    }
}

/// <summary>Marks a command type that endpoints read from the JSON request body, strictly.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class JsonBodyAttribute : Attribute;

internal sealed class ReadStrictJsonBodyFrame : AsyncFrame
{
    private Variable? _httpContext;

    public ReadStrictJsonBodyFrame(Type commandType, string name)
    {
        Command = new Variable(commandType, name, this);
    }

    public Variable Command { get; }

    public override IEnumerable<Variable> FindVariables(IMethodVariables chain)
    {
        _httpContext = chain.FindVariable(typeof(HttpContext));
        yield return _httpContext;
    }

    public override void GenerateCode(GeneratedMethod method, ISourceWriter writer)
    {
        writer.WriteComment("Strict JSON body: unknown properties, wrong types and invalid values end with a 400 problem");
        writer.Write($"var {Command.Usage} = await {typeof(StrictJsonBody).FullNameInCode()}.{nameof(StrictJsonBody.ReadAsync)}<{Command.VariableType.FullNameInCode()}>({_httpContext!.Usage});");
        writer.Write($"if ({Command.Usage} == null) return;");
        Next?.GenerateCode(method, writer);
    }
}
