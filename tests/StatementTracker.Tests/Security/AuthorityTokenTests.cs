using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using StatementTracker.Security;

namespace StatementTracker.Tests.Security;

/// <summary>
/// Tokens against an OpenID Connect authority configuration, checked offline: the service's own validation
/// parameters, with the issuer and signing keys its discovery document would supply filled in, as the
/// JwtBearer handler does before it validates.
/// </summary>
public class AuthorityTokenTests
{
    private const string Authority = "https://idp.example";
    private const string Audience = "statementtracker";

    private static readonly RsaSecurityKey AuthorityKey = new(RSA.Create(2048)) { KeyId = "rsa-1" };

    /// <summary>
    /// A key an attacker knows, published beside the authority's: the classic confusion signs HS256 tokens
    /// with a public key as the HMAC secret; pinned algorithms refuse them whatever key they name.
    /// </summary>
    private static readonly SymmetricSecurityKey KnownKey = new(RandomNumberGenerator.GetBytes(64)) { KeyId = "known" };

    private static TokenValidationParameters Parameters()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:Jwt:Authority"] = Authority,
            ["Security:Jwt:Audience"] = Audience,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSecurity(configuration).BuildServiceProvider();
        var parameters = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters.Clone();
        parameters.ValidIssuers = [Authority];
        parameters.IssuerSigningKeys = [AuthorityKey, KnownKey];
        return parameters;
    }

    private static string Token(SecurityKey key, string algorithm, string audience = Audience, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("roles", "admin")]),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private static Task<TokenValidationResult> Validate(string token) => new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters());

    [BoundedFact]
    public async Task an_rs256_token_of_the_authority_for_this_audience_is_accepted() =>
        (await Validate(Token(AuthorityKey, SecurityAlgorithms.RsaSha256))).IsValid.ShouldBeTrue();

    [BoundedFact]
    public async Task an_hs256_token_is_refused_against_an_authority()
    {
        var token = Token(KnownKey, SecurityAlgorithms.HmacSha256);

        (await Validate(token)).IsValid.ShouldBeFalse();
        // The pinned algorithms alone refuse it: without them the same token passes.
        var unpinned = Parameters();
        unpinned.ValidAlgorithms = null;
        (await new JsonWebTokenHandler().ValidateTokenAsync(token, unpinned)).IsValid.ShouldBeTrue();
    }

    [BoundedFact]
    public async Task a_token_of_the_authority_for_another_application_is_refused()
    {
        var result = await Validate(Token(AuthorityKey, SecurityAlgorithms.RsaSha256, audience: "another-application"));

        result.IsValid.ShouldBeFalse();
        result.Exception.ShouldBeAssignableTo<SecurityTokenInvalidAudienceException>();
    }

    [BoundedFact]
    public async Task an_expired_token_of_the_authority_is_refused() =>
        (await Validate(Token(AuthorityKey, SecurityAlgorithms.RsaSha256, expires: DateTime.UtcNow.AddMinutes(-5)))).IsValid.ShouldBeFalse();
}
