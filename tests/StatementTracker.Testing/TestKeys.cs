using StatementTracker.Security;

namespace StatementTracker.Testing;

/// <summary>The API keys the test hosts accept, and the configuration that registers their hashes.</summary>
public static class TestKeys
{
    /// <summary>analyst and admin: what most tests call with.</summary>
    public const string Editor = "test-editor-key-0123456789abcdef";
    public const string Analyst = "test-analyst-key-0123456789abcdef";
    public const string Admin = "test-admin-key-0123456789abcdef";
    public const string Reader = "test-reader-key-0123456789abcdef";

    /// <summary>
    /// Callers of the rate-limited host's tests, one per test: each starts with a full bucket whatever ran
    /// before, so no test waits for another's allowance to refill.
    /// </summary>
    public const string LimitsBodyWriter = "test-limits-body-key-0123456789abcdef";
    public const string LimitsChunkedWriter = "test-limits-chunked-key-0123456789abcdef";
    public const string LimitsImporter = "test-limits-import-key-0123456789abcdef";
    public const string LimitsPager = "test-limits-pager-key-0123456789abcdef";
    public const string LimitsHistoryWriter = "test-limits-history-key-0123456789abcdef";

    public const string EditorName = "test-editor";

    /// <summary>How events record the editor key: its stable identity, the name beside it.</summary>
    public const string EditorActor = "key:" + EditorName;

    public const string JwtSigningKey = "statementtracker-tests-signing-key-0123456789";
    public const string JwtIssuer = "statementtracker-tests";
    public const string JwtAudience = "statementtracker";

    public static IEnumerable<KeyValuePair<string, string>> Settings()
    {
        (string Key, string Name, string Roles)[] keys =
        [
            (Editor, EditorName, "analyst,admin"),
            (Analyst, "test-analyst", "analyst"),
            (Admin, "test-admin", "admin"),
            (Reader, "test-reader", "reader"),
            (LimitsBodyWriter, "test-limits-body", "analyst"),
            (LimitsChunkedWriter, "test-limits-chunked", "analyst"),
            (LimitsImporter, "test-limits-import", "analyst"),
            (LimitsPager, "test-limits-pager", "reader"),
            (LimitsHistoryWriter, "test-limits-history", "analyst"),
        ];
        foreach (var (key, index) in keys.Select((k, i) => (k, i)))
        {
            yield return new($"Security:ApiKeys:{index}:Name", key.Name);
            yield return new($"Security:ApiKeys:{index}:Hash", ApiKeys.HashOf(key.Key));
            yield return new($"Security:ApiKeys:{index}:Roles", key.Roles);
        }
        yield return new("Security:Jwt:SigningKey", JwtSigningKey);
        yield return new("Security:Jwt:Issuer", JwtIssuer);
        yield return new("Security:Jwt:Audience", JwtAudience);
        // Tests post fast from one caller; the limits tests turn rate limiting back on.
        yield return new("Limits:Burst", "0");
        // Each test host starts on an empty database: it may create the schema.
        yield return new("Database:AutoCreate", "CreateOrUpdate");
        // Alert receivers in tests listen on loopback.
        yield return new("Alerts:AllowPrivateTargets", "true");
        yield return new("Alerts:DispatchSeconds", "0.2");
    }
}
