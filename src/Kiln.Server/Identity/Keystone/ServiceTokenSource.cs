using System.Net;
using Kiln.Server.Configuration;

namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// Holds Kiln's service token: gets one on first use, and a new one once <see cref="ServiceToken.RenewAt"/>
/// has passed or after Keystone refused it (<see cref="Invalidate"/>). One login at a time: callers
/// arriving while it runs share its outcome, success or failure, so an outage costs one login attempt
/// at a time rather than a queue of them. After Keystone refuses Kiln's credentials it is not asked
/// again for <see cref="RefusalHoldOff"/>, so a wrong password does not send a login per request (and
/// trip Keystone's account lockout).
/// </summary>
internal sealed class ServiceTokenSource(KeystoneClient client, KeystoneOptions options, TimeProvider time, ILoggerFactory loggerFactory)
{
    /// <summary>How long a refusal of Kiln's credentials is remembered.</summary>
    public static readonly TimeSpan RefusalHoldOff = TimeSpan.FromSeconds(10);

    private const string Call = "Kiln's login";

    private readonly ILogger logger = loggerFactory.CreateLogger(Log.Category);
    private readonly Lock gate = new();
    private ServiceToken? current;
    private Task<ServiceToken>? login;
    private string? renewalReason;
    private (DateTimeOffset Until, string Reason)? refusal;
    private bool obtainedBefore;

    /// <summary>A usable service token; throws <see cref="KeystoneUnavailableException"/> when none can be had.</summary>
    public async Task<ServiceToken> GetAsync()
    {
        ServiceToken? previous;
        Task<ServiceToken> pending;
        TaskCompletionSource<ServiceToken>? started = null;
        string? reason = null;
        lock (gate)
        {
            var now = time.GetUtcNow();
            previous = current;
            if (previous is not null && !previous.NeedsRenewal(now))
            {
                return previous;
            }

            if (refusal is { } refused && now < refused.Until)
            {
                throw new KeystoneUnavailableException(refused.Reason);
            }

            // A finished login is never joined: its failure belongs to the callers that waited for it.
            if (login is not { IsCompleted: false })
            {
                started = new(TaskCreationOptions.RunContinuationsAsynchronously);
                reason = renewalReason ?? $"less than {ServiceToken.RenewalMargin.TotalSeconds:0} s were left";
                login = started.Task;
            }

            pending = login;
        }

        if (started is not null)
        {
            // Outside the lock: the login runs synchronously up to its first wait for the network.
            _ = LoginAsync(started, reason!);
        }

        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (KeystoneUnavailableException) when (previous is not null && time.GetUtcNow() < previous.ExpiresAt)
        {
            // Password logins can fail while validations work (an identity backend such as LDAP is
            // down): the token being renewed is still good until it expires.
            return previous;
        }
    }

    /// <summary>Drops <paramref name="refused"/> after Keystone answered 401 to it, unless a newer token already replaced it.</summary>
    public void Invalidate(ServiceToken refused)
    {
        lock (gate)
        {
            if (ReferenceEquals(current, refused))
            {
                (current, renewalReason) = (null, "Keystone refused the previous one");
            }
        }
    }

    private async Task LoginAsync(TaskCompletionSource<ServiceToken> outcome, string reason)
    {
        ServiceToken token;
        try
        {
            token = await ObtainAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (KeystoneFailure.From(e, Call, client.TokensUri, options.HttpConnectTimeout) is { } failure)
        {
            outcome.SetException(failure);
            return;
        }
        catch (Exception e)
        {
            outcome.SetException(e);
            return;
        }

        lock (gate)
        {
            (current, renewalReason, refusal) = (token, null, null);
        }

        if (obtainedBefore)
        {
            Log.ServiceTokenRenewed(logger, reason, token.ExpiresAt);
        }
        else
        {
            obtainedBefore = true;
            Log.ServiceTokenObtained(logger, options.Username, options.ProjectName, client.TokensUri, token.ExpiresAt);
        }

        outcome.SetResult(token);
    }

    private async Task<ServiceToken> ObtainAsync()
    {
        var answer = await client.IssueServiceTokenAsync(CancellationToken.None).ConfigureAwait(false);
        if (answer.Status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            var reason =
                $"Keystone answered {answer.StatusText} to Kiln's service credentials (user {options.Username} in domain {UserDomain}, " +
                $"project {options.ProjectName} in domain {ProjectDomain}); check username, password, project_name and their domains in [keystone_authtoken]";
            lock (gate)
            {
                refusal = (time.GetUtcNow() + RefusalHoldOff, reason);
            }

            throw new KeystoneUnavailableException(reason);
        }

        if (!answer.IsSuccess)
        {
            throw new KeystoneUnavailableException($"Keystone answered {answer.StatusText} to {Call}");
        }

        if (answer is not { SubjectToken: { Length: > 0 } value, Token.ExpiresAt: { } expiresAt })
        {
            throw new KeystoneUnavailableException($"Keystone's answer to {Call} has no X-Subject-Token header or no expiry");
        }

        return new ServiceToken(value, time.GetUtcNow(), expiresAt);
    }

    private string UserDomain => options.UserDomainId ?? options.UserDomainName;

    private string ProjectDomain => options.ProjectDomainId ?? options.ProjectDomainName;
}
