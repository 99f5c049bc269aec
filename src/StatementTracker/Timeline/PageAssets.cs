using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace StatementTracker.Timeline;

/// <summary>One file of the page: its bytes, media type and an ETag from its content.</summary>
public sealed record PageAsset(byte[] Content, string ContentType, EntityTagHeaderValue ETag);

/// <summary>
/// The page's files, read once from this assembly's embedded resources (named
/// <c>StatementTracker.Timeline/&lt;path&gt;</c> by the project file), so the service needs no web root on disk.
/// </summary>
public sealed class PageAssets
{
    public const string Page = "index.html";
    private const string Prefix = "StatementTracker.Timeline/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        // Module scripts are refused unless served with a JavaScript media type.
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, PageAsset> _assets;

    private PageAssets(FrozenDictionary<string, PageAsset> assets) => _assets = assets;

    public IReadOnlyCollection<string> Paths => _assets.Keys;

    public PageAsset? Find(string path) => _assets.GetValueOrDefault(path);

    public static PageAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, PageAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = name[Prefix.Length..].Replace('\\', '/');
            if (!ContentTypes.TryGetValue(Path.GetExtension(path), out var contentType)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
            assets[path] = new PageAsset(content, contentType, etag);
        }
        if (!assets.ContainsKey(Page))
            throw new InvalidOperationException($"The timeline page ({Prefix}{Page}) is not embedded in {assembly.GetName().Name}.");
        return new PageAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
