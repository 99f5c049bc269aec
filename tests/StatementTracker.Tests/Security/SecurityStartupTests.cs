using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using StatementTracker.Security;

namespace StatementTracker.Tests.Security;

/// <summary>A configuration that would accept callers too loosely stops the service at start-up, saying what to set.</summary>
public class SecurityStartupTests
{
    private const string LongKey = "a-shared-signing-key-of-forty-bytes-0123";

    private static void Start(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        new ServiceCollection().AddSecurity(configuration);
    }

    [BoundedFact]
    public void an_authority_without_an_audience_is_refused() =>
        Should.Throw<InvalidOperationException>(() => Start(("Security:Jwt:Authority", "https://idp.example")))
            .Message.ShouldContain("Security:Jwt:Audience is required");

    [BoundedFact]
    public void a_shared_key_without_an_audience_is_refused() =>
        Should.Throw<InvalidOperationException>(() => Start(("Security:Jwt:SigningKey", LongKey), ("Security:Jwt:Issuer", "us")))
            .Message.ShouldContain("Security:Jwt:Audience is required");

    [BoundedFact]
    public void a_shared_key_without_an_issuer_is_refused() =>
        Should.Throw<InvalidOperationException>(() => Start(("Security:Jwt:SigningKey", LongKey), ("Security:Jwt:Audience", "st")))
            .Message.ShouldContain("Security:Jwt:Issuer is required");

    [BoundedFact]
    public void a_shared_key_shorter_than_32_bytes_is_refused() =>
        Should.Throw<InvalidOperationException>(() => Start(
                ("Security:Jwt:SigningKey", new string('k', 31)), ("Security:Jwt:Issuer", "us"), ("Security:Jwt:Audience", "st")))
            .Message.ShouldContain("at least 32 bytes");

    [BoundedFact]
    public void both_an_authority_and_a_shared_key_is_refused() =>
        Should.Throw<InvalidOperationException>(() => Start(
                ("Security:Jwt:Authority", "https://idp.example"), ("Security:Jwt:SigningKey", LongKey),
                ("Security:Jwt:Issuer", "us"), ("Security:Jwt:Audience", "st")))
            .Message.ShouldContain("either Authority or SigningKey");

    [BoundedFact]
    public void complete_configurations_start()
    {
        Start(("Security:Jwt:Authority", "https://idp.example"), ("Security:Jwt:Audience", "st"));
        Start(("Security:Jwt:SigningKey", new string('k', 32)), ("Security:Jwt:Issuer", "us"), ("Security:Jwt:Audience", "st"));
        Start();
    }

    private static (string, string)[] Key(int index, string name, string roles) =>
    [
        ($"Security:ApiKeys:{index}:Name", name),
        ($"Security:ApiKeys:{index}:Hash", ApiKeys.HashOf($"key-{index}-0123456789abcdef")),
        ($"Security:ApiKeys:{index}:Roles", roles),
    ];

    [BoundedFact]
    public void two_api_keys_with_one_name_are_refused() =>
        Should.Throw<InvalidOperationException>(() => Start([.. Key(0, "ci", "analyst"), .. Key(1, "CI", "reader")]))
            .Message.ShouldContain("the name \"CI\" is given to 2 keys");

    [BoundedTheory]
    [InlineData("analysts")]
    [InlineData("analyst,superuser")]
    public void an_api_key_with_an_unknown_role_is_refused(string roles) =>
        Should.Throw<InvalidOperationException>(() => Start(Key(0, "ci", roles)))
            .Message.ShouldContain("unknown role");

    [BoundedFact]
    public void api_keys_with_names_of_their_own_and_known_roles_start() =>
        Start([.. Key(0, "ci", "analyst, admin"), .. Key(1, "dashboard", "reader")]);
}
