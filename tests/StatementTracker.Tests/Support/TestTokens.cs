using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace StatementTracker.Tests.Support;

/// <summary>HS256 bearer tokens as the test hosts accept them (or, by changing one argument, refuse them).</summary>
public static class TestTokens
{
    /// <summary>
    /// A token for <paramref name="name"/> (no name claim when ""); its subject is <c>user-{name}</c> unless given,
    /// and absent when "".
    /// </summary>
    public static string Create(
        string name, string[] roles, string signingKey = TestKeys.JwtSigningKey, DateTime? expires = null,
        string issuer = TestKeys.JwtIssuer, string audience = TestKeys.JwtAudience, string? subject = null)
    {
        List<Claim> claims = [.. roles.Select(r => new Claim("roles", r))];
        if (name != "") claims.Add(new Claim("name", name));
        if (subject != "") claims.Add(new Claim("sub", subject ?? $"user-{name}"));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
