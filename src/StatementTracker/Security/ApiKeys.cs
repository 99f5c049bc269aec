using System.Security.Cryptography;
using System.Text;

namespace StatementTracker.Security;

/// <summary>
/// The configured API keys, held only as SHA-256 hashes. A presented key is hashed and compared with
/// every configured hash in constant time, so neither timing nor early exit tells how close a guess was.
/// </summary>
public sealed class ApiKeys
{
    private readonly (ApiKeyEntry Entry, byte[] Hash, string[] Roles)[] _keys;

    public ApiKeys(SecurityOptions options)
    {
        _keys = options.ApiKeys.Select((entry, index) =>
        {
            if (string.IsNullOrWhiteSpace(entry.Name))
                throw new InvalidOperationException($"Security:ApiKeys:{index}:Name is required.");
            return (entry, ParseHash(entry.Hash, index), ParseRoles(entry.Roles, index));
        }).ToArray();
        // The name is the key's identity in the audit trail and its rate-limit bucket: two keys may not share one.
        if (_keys.GroupBy(k => k.Entry.Name.Trim(), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } shared)
            throw new InvalidOperationException(
                $"Security:ApiKeys: the name \"{shared.Key}\" is given to {shared.Count()} keys; each key needs a name of its own.");
    }

    public int Count => _keys.Length;

    /// <summary>The name and roles of the key, or null when it matches no configured key.</summary>
    public (string Name, string[] Roles)? Match(string presentedKey)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        (string, string[])? match = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, key.Hash) && match is null)
                match = (key.Entry.Name, key.Roles);
        }
        return match;
    }

    /// <summary>The hash to configure for a key: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static byte[] ParseHash(string hash, int index)
    {
        var hex = hash.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) hex = hex[7..];
        try
        {
            var bytes = Convert.FromHexString(hex);
            if (bytes.Length == 32) return bytes;
        }
        catch (FormatException)
        {
        }
        throw new InvalidOperationException(
            $"Security:ApiKeys:{index}:Hash must be the SHA-256 of the key as 64 hex digits (printf %s \"$KEY\" | sha256sum).");
    }

    private static readonly string[] KnownRoles = [Security.Roles.Reader, Security.Roles.Analyst, Security.Roles.Admin];

    /// <summary>An unknown role (a typo such as <c>analysts</c>) is refused, not silently granting nothing.</summary>
    private static string[] ParseRoles(string roles, int index)
    {
        var parsed = roles.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant()).Distinct().ToArray();
        if (parsed.FirstOrDefault(role => !KnownRoles.Contains(role)) is { } unknown)
            throw new InvalidOperationException(
                $"Security:ApiKeys:{index}:Roles names an unknown role \"{unknown}\"; the roles are {string.Join(", ", KnownRoles)}.");
        return parsed;
    }
}
