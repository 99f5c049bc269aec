using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;
using StatementTracker.Security;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;
using Wolverine.Http;

namespace StatementTracker.Alerts.Subscribing;

/// <summary>The body of <c>POST /subscriptions</c>: where to send shift alerts, for which country and topic, and the signing secret.</summary>
[JsonBody]
public sealed record CreateSubscription(string? Url, string? Country, string? Topic, string? Secret)
{
    public const int MaxSecretLength = 512;

    public sealed class Validator : RequestValidator<CreateSubscription>
    {
        public Validator()
        {
            RuleFor(x => x.Url).RequiredText(StatementRules.MaxUrlLength)
                .Must(url => AlertTargets.IsHttpUrl(url?.Trim(), out _)).WithMessage("Must be an absolute http or https URL (without user info).");
            RuleFor(x => x.Country).Text(StatementRules.MaxCountryLength).KnownCountry();
            RuleFor(x => x.Topic).Must(topic => topic is null || TopicSlug.IsValid(topic))
                .WithMessage("Must be a lowercase kebab-case topic slug such as \"taiwan\".");
            RuleFor(x => x.Secret).RequiredText(MaxSecretLength)
                .WithMessage("Required: the secret each alert is signed with (HMAC-SHA256); use a long random one.");
        }
    }
}

/// <summary>
/// <c>POST /subscriptions</c> (analyst): 201 with the subscription (never its secret). Targets on loopback or
/// private networks are refused unless <c>Alerts:AllowPrivateTargets</c> is set.
/// </summary>
public static class CreateSubscriptionEndpoint
{
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(typeof(SubscriptionView), 201)]
    [WolverinePost("/subscriptions")]
    public static async Task<IResult> Post(
        CreateSubscription command, IDocumentSession session, ClaimsPrincipal user, IOptions<AlertOptions> options, TimeProvider clock,
        CancellationToken cancellation)
    {
        AlertTargets.IsHttpUrl(command.Url!.Trim(), out var url);
        if (!options.Value.AllowPrivateTargets && await RefusedAsync(url, cancellation) is { } refused)
            return Problems.Invalid("url", refused).ToResult();

        var subscription = new AlertSubscription
        {
            Id = Guid.CreateVersion7(),
            Url = url.AbsoluteUri,
            Country = Countries.Normalise(command.Country),
            Topic = command.Topic,
            Secret = command.Secret!,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = Actors.IdOf(user),
        };
        session.Store(subscription);
        await session.SaveChangesAsync(cancellation);
        return Results.Created($"/subscriptions/{subscription.Id}", SubscriptionView.Of(subscription));
    }

    private static async Task<string?> RefusedAsync(Uri url, CancellationToken cancellation)
    {
        try
        {
            return (await AlertTargets.ResolveAsync(url.Host, allowPrivate: false, cancellation)).Length == 0
                ? "Refused: the host is on a loopback or private network. Alerts go to public addresses only."
                : null;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "The host name does not resolve.";
        }
    }
}
