using System.Reflection;
using System.Text.RegularExpressions;
using StatementTracker.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace StatementTracker.Tests.Support;

/// <summary>The deployment files as data: YAML documents as dictionaries and lists, env files as pairs.</summary>
public static class DeploymentFiles
{
    public static string PathOf(string relative) => System.IO.Path.Combine(Repository.Root, relative);

    /// <summary>Every document of a YAML file; anchors and merge keys (<c>&lt;&lt;: *x</c>) resolved.</summary>
    public static IReadOnlyList<Dictionary<object, object>> Yaml(string relative)
    {
        using var reader = new StringReader(File.ReadAllText(PathOf(relative)));
        var parser = new MergingParser(new Parser(reader));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<Dictionary<object, object>>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
            documents.Add(deserializer.Deserialize<Dictionary<object, object>>(parser));
        return documents;
    }

    /// <summary>KEY=value lines; comments and blank lines skipped.</summary>
    public static IReadOnlyDictionary<string, string> EnvFile(string relative) =>
        File.ReadAllLines(PathOf(relative))
            .Where(line => line.Trim() is { Length: > 0 } text && !text.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair.Length > 1 ? pair[1] : "");

    public static Dictionary<object, object> Map(this object? node, string key) =>
        (node as Dictionary<object, object>)?.GetValueOrDefault(key) as Dictionary<object, object>
        ?? throw new KeyNotFoundException($"No mapping '{key}'");

    public static List<object> List(this object? node, string key) =>
        (node as Dictionary<object, object>)?.GetValueOrDefault(key) as List<object> ?? throw new KeyNotFoundException($"No list '{key}'");

    public static string? Text(this object? node, string key) => (node as Dictionary<object, object>)?.GetValueOrDefault(key)?.ToString();
}

/// <summary>
/// Whether a setting, written as an environment variable (<c>Limits__Burst</c>), is one the service reads: a
/// property of an options class bound to its <c>Section</c>, the connection string, or a key the source
/// names itself (<c>"Database:AutoCreate"</c>, or a section and a key in one file). Variables of the runtime
/// (<c>ASPNETCORE_</c>, <c>DOTNET_</c>) are the platform's and pass.
/// </summary>
public static partial class ServiceSettings
{
    private static readonly Assembly Service = typeof(StatementTrackerSetup).Assembly;

    private static readonly Lazy<string[]> SourceFiles = new(() =>
        Directory.GetFiles(DeploymentFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{System.IO.Path.DirectorySeparatorChar}Generated{System.IO.Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText).ToArray());

    public static bool IsPlatform(string variable) =>
        variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || variable.StartsWith("DOTNET_", StringComparison.Ordinal);

    public static bool IsRead(string variable)
    {
        if (IsPlatform(variable)) return true;
        var path = variable.Split("__");
        if (path is ["ConnectionStrings", var name]) return name == StatementTrackerSetup.ConnectionStringName;
        if (OptionsType(path[0]) is { } options) return HasPath(options, path[1..]);
        var key = string.Join(':', path);
        return path.Length >= 2 && SourceFiles.Value.Any(source =>
            source.Contains($"\"{key}\"", StringComparison.Ordinal)
            || (source.Contains($"\"{path[0]}\"", StringComparison.Ordinal) && source.Contains($"\"{path[^1]}\"", StringComparison.Ordinal)));
    }

    private static Type? OptionsType(string section) => Service.GetTypes().FirstOrDefault(type =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
        && (string?)field.GetRawConstantValue() == section);

    private static bool HasPath(Type type, string[] path)
    {
        if (path.Length == 0) return true;
        if (IsIndex().IsMatch(path[0]) && ElementType(type) is { } element) return HasPath(element, path[1..]);
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanWrite: true } && HasPath(property.PropertyType, path[1..]);
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0] is { } element && element != typeof(char) ? element : null;

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex IsIndex();
}
