using System.Collections.Concurrent;
using System.Net;
using Kiln.Server.Configuration;

namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// Validates user tokens with <c>GET /v3/auth/tokens</c> in keystonemiddleware's manner: results are
/// cached by token hash until min(expires_at, now + token_cache_time); a 404 is Invalid; a 401 means
/// Kiln's own token was refused, so a new one is fetched and the question asked once more; anything
/// else that leaves the token undecided is Unavailable (fail closed) while cached tokens keep working.
/// Concurrent validations of one uncached token share one call to Keystone.
/// </summary>
internal sealed class KeystoneTokenValidator : ITokenValidator
{
    private const string Call = "a token validation";

    private readonly KeystoneClient client;
    private readonly ServiceTokenSource serviceTokens;
    private readonly KeystoneOptions options;
    private readonly TokenCacheLimits limits;
    private readonly TimeProvider time;
    private readonly KeystoneAvailability availability;
    private readonly RejectionLog rejections;
    private readonly ILogger logger;
    private readonly TokenCache? valid;
    private readonly TokenCache? invalid;
    private readonly ConcurrentDictionary<string, Task<TokenValidation>> inFlight = new(StringComparer.Ordinal);

    public KeystoneTokenValidator(
        KeystoneClient client,
        ServiceTokenSource serviceTokens,
        KeystoneOptions options,
        TokenCacheLimits limits,
        TimeProvider time,
        KeystoneAvailability availability,
        RejectionLog rejections,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        (this.client, this.serviceTokens, this.options, this.limits, this.time, this.availability, this.rejections) =
            (client, serviceTokens, options, limits, time, availability, rejections);
        logger = loggerFactory.CreateLogger(Log.Category);
        if (options.TokenCacheTime is not null)
        {
            valid = new TokenCache(limits.ValidEntries);
            invalid = new TokenCache(limits.InvalidEntries);
        }
    }

    /// <summary>Valid tokens cached now (expired ones not yet dropped included); 0 with caching disabled.</summary>
    internal int CachedValidTokens => valid?.Count ?? 0;

    public ValueTask<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);

        // keystonemiddleware strips the header value too (its bug 1689468).
        token = token.Trim();
        if (SubjectTokenCheck.Problem(token) is { } problem)
        {
            return new(Rejected(new TokenValidation.Invalid(problem)));
        }

        var key = TokenKey.Of(token);
        if (FromCache(key) is { } cached)
        {
            return new(cached is TokenValidation.Invalid rejected ? Rejected(rejected) : cached);
        }

        return new(ValidateUncachedAsync(token, key, cancellationToken));
    }

    private async Task<TokenValidation> ValidateUncachedAsync(string token, string key, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<TokenValidation>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = inFlight.GetOrAdd(key, mine.Task);
        if (shared == mine.Task)
        {
            // Not bound to this caller's cancellation: others may be waiting for the same answer, and
            // the answer is worth caching. The HTTP timeouts bound it.
            _ = AskAndShareAsync(token, key, mine);
        }

        var result = await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result is TokenValidation.Invalid rejected ? Rejected(rejected) : result;
    }

    private async Task AskAndShareAsync(string token, string key, TaskCompletionSource<TokenValidation> outcome)
    {
        try
        {
            // A validation that finished between this caller's cache miss and its GetOrAdd cached its answer.
            var result = FromCache(key) ?? await AskAsync(token).ConfigureAwait(false);
            Remember(key, result);
            outcome.SetResult(result);
        }
        catch (Exception e)
        {
            outcome.SetException(e);
        }
        finally
        {
            inFlight.TryRemove(new KeyValuePair<string, Task<TokenValidation>>(key, outcome.Task));
        }
    }

    private async Task<TokenValidation> AskAsync(string token)
    {
        try
        {
            var answer = await AskKeystoneAsync(token).ConfigureAwait(false);
            availability.Answered();
            return answer;
        }
        catch (Exception e) when (KeystoneFailure.From(e, Call, client.TokensUri, options.HttpConnectTimeout) is { } failure)
        {
            availability.Failed(failure.Message, failure.InnerException);
            return new TokenValidation.Unavailable(failure.Message);
        }
    }

    private async Task<TokenValidation> AskKeystoneAsync(string token)
    {
        for (var attempt = 1; ; attempt++)
        {
            var serviceToken = await serviceTokens.GetAsync().ConfigureAwait(false);
            var answer = await client.ValidateAsync(serviceToken.Value, token, CancellationToken.None).ConfigureAwait(false);
            switch (answer.Status)
            {
                case HttpStatusCode.OK:
                    return TokenInfoReader.Read(answer.Token, time.GetUtcNow());
                case HttpStatusCode.NotFound:
                    return new TokenValidation.Invalid("Keystone does not know the token, or it has expired or been revoked");
                case HttpStatusCode.Unauthorized when attempt == 1:
                    Log.ServiceTokenRefused(logger);
                    serviceTokens.Invalidate(serviceToken);
                    continue;
                case HttpStatusCode.Unauthorized:
                    // Keystone answers 404 for every problem of the subject token; a 401 to a token it
                    // has just issued is about Kiln, so keystonemiddleware's ServiceError: 503.
                    throw new KeystoneUnavailableException($"Keystone refused Kiln's new service token too (401) during {Call}");
                case HttpStatusCode.Forbidden:
                    throw new KeystoneUnavailableException(
                        $"Keystone answered 403 Forbidden to {Call}: Kiln's service user {options.Username} may lack the service or admin role in project {options.ProjectName}");
                default:
                    throw new KeystoneUnavailableException($"Keystone answered {answer.StatusText} to {Call}");
            }
        }
    }

    private TokenValidation? FromCache(string key)
    {
        var now = time.GetUtcNow();
        if (valid is null || invalid is null)
        {
            return null;
        }

        return valid.TryGet(key, now, out var accepted) ? accepted
            : invalid.TryGet(key, now, out var refused) ? refused
            : null;
    }

    private void Remember(string key, TokenValidation result)
    {
        if (options.TokenCacheTime is not { } cacheTime)
        {
            return;
        }

        var now = time.GetUtcNow();
        switch (result)
        {
            case TokenValidation.Valid { Token.ExpiresAt: var expiresAt }:
                valid!.Set(key, result, Min(expiresAt, now + cacheTime), now);
                break;
            case TokenValidation.Invalid:
                invalid!.Set(key, result, now + (cacheTime < limits.InvalidFor ? cacheTime : limits.InvalidFor), now);
                break;
        }
    }

    private TokenValidation.Invalid Rejected(TokenValidation.Invalid rejection)
    {
        rejections.Rejected(rejection.Reason);
        return rejection;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
