using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StatementTracker.Infrastructure;

namespace StatementTracker.Security;

/// <summary>
/// How bearer tokens are checked. Fails closed: the service refuses to start unless the audience (and, for a
/// shared key, the issuer) is pinned, so a token issued for another application is never accepted here.
/// </summary>
public static class JwtValidation
{
    /// <summary>Asymmetric algorithms an OpenID Connect authority signs with; never HS256 (alg confusion) or none.</summary>
    public static readonly string[] AuthorityAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static readonly string[] SharedKeyAlgorithms = [SecurityAlgorithms.HmacSha256];

    /// <summary>HS256 keys shorter than its 256-bit output can be brute-forced offline from one token.</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>Throws, naming the setting, when the configuration would accept tokens too loosely.</summary>
    public static void Check(JwtSettings settings)
    {
        if (!settings.Enabled) return;
        var authority = !string.IsNullOrWhiteSpace(settings.Authority);
        var sharedKey = !string.IsNullOrWhiteSpace(settings.SigningKey);
        if (authority && sharedKey)
            throw new InvalidOperationException(
                "Security:Jwt: set either Authority or SigningKey, not both: it must be clear who may sign the tokens accepted here.");
        if (string.IsNullOrWhiteSpace(settings.Audience))
            throw new InvalidOperationException(
                "Security:Jwt:Audience is required when bearer tokens are accepted (Security__Jwt__Audience): " +
                "without it a token the same issuer made for another application would be accepted here.");
        if (sharedKey && string.IsNullOrWhiteSpace(settings.Issuer))
            throw new InvalidOperationException(
                "Security:Jwt:Issuer is required with Security:Jwt:SigningKey (Security__Jwt__Issuer): without it tokens of any issuer are accepted.");
        if (sharedKey && Encoding.UTF8.GetByteCount(settings.SigningKey!) < MinimumSigningKeyBytes)
            throw new InvalidOperationException(
                $"Security:Jwt:SigningKey must be at least {MinimumSigningKeyBytes} bytes long (e.g. openssl rand -base64 48).");
    }

    /// <summary>
    /// Adds the caller's stable identity, <c>jwt:{issuer}|{sub}</c>: a token without a subject names no one
    /// who can be held to account, so it is refused.
    /// </summary>
    private static Task RecordActor(TokenValidatedContext context)
    {
        var subject = context.Principal?.FindFirst("sub")?.Value;
        if (context.SecurityToken is not JsonWebToken { Issuer: { Length: > 0 } issuer } || string.IsNullOrWhiteSpace(subject))
        {
            context.Fail("The bearer token needs an iss and a sub claim.");
            return Task.CompletedTask;
        }
        context.Principal!.Identities.First().AddClaim(new Claim(Actors.IdClaim, Actors.ForToken(issuer, subject)));
        return Task.CompletedTask;
    }

    public static void Configure(JwtBearerOptions jwt, JwtSettings settings)
    {
        Check(settings);
        jwt.MapInboundClaims = false;
        var authority = !string.IsNullOrWhiteSpace(settings.Authority);
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            NameClaimType = settings.NameClaim,
            RoleClaimType = settings.RoleClaim,
            ValidateAudience = true,
            ValidAudience = settings.Audience,
            // With an authority, the issuer is the one its discovery document names unless one is configured.
            ValidateIssuer = true,
            ValidIssuer = string.IsNullOrWhiteSpace(settings.Issuer) ? null : settings.Issuer,
            ValidAlgorithms = authority ? AuthorityAlgorithms : SharedKeyAlgorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        jwt.Events = new JwtBearerEvents { OnTokenValidated = RecordActor };
        if (authority)
        {
            jwt.Authority = settings.Authority;
            jwt.Audience = settings.Audience;
        }
        else
        {
            jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.SigningKey!));
        }
    }
}
