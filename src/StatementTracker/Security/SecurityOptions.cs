namespace StatementTracker.Security;

/// <summary>
/// The <c>Security</c> configuration section. Every value can come from environment variables alone,
/// e.g. <c>Security__ApiKeys__0__Name=ci</c>, <c>Security__ApiKeys__0__Hash=&lt;sha256 hex&gt;</c>,
/// <c>Security__ApiKeys__0__Roles=analyst,admin</c>.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>When true, reads need the <c>reader</c> role (analysts and admins read too); by default reads are open.</summary>
    public bool ReadsRequireReader { get; set; }

    /// <summary>The header that carries an API key. Keys are never read from the query string.</summary>
    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    public JwtSettings Jwt { get; set; } = new();
}

/// <summary>One API key: who it stands for, the SHA-256 of the key (hex), and its roles (comma-separated).</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    public string Roles { get; set; } = "";
}

/// <summary>
/// JWT bearer tokens: from an OpenID Connect <see cref="Authority"/> (keys by discovery), or signed with
/// a shared <see cref="SigningKey"/> (HS256) for self-issued tokens. Unset: bearer tokens are not accepted.
/// </summary>
public sealed class JwtSettings
{
    public string? Authority { get; set; }
    public string? Audience { get; set; }
    public string? Issuer { get; set; }
    public string? SigningKey { get; set; }
    public string NameClaim { get; set; } = "name";
    public string RoleClaim { get; set; } = "roles";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
