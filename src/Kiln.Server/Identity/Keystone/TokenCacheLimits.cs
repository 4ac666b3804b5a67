namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// Bounds of the token cache. keystonemiddleware leaves them to memcached; in memory they must be
/// explicit. Rejected tokens have their own, smaller cache so that a client spraying bad tokens can
/// never push valid ones out.
/// </summary>
internal sealed record TokenCacheLimits(int ValidEntries, int InvalidEntries, TimeSpan InvalidFor)
{
    /// <summary>
    /// 10,000 valid tokens (about 1 KB each: a few MB) covers the users active within
    /// token_cache_time on a busy cloud. A rejected token is remembered 30 s (never beyond
    /// token_cache_time): long enough to absorb a client retrying with an expired token, short
    /// enough that a token Keystone answered 404 for too early (Fernet keys not yet on every
    /// Keystone node) soon works. keystonemiddleware cached rejections for token_cache_time until
    /// 10.10 removed it for expired-token (allow_expired) requests, which Kiln does not accept.
    /// </summary>
    public static TokenCacheLimits Default { get; } = new(10_000, 1_000, TimeSpan.FromSeconds(30));
}
