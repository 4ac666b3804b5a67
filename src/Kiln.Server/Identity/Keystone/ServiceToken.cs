namespace Kiln.Server.Identity.Keystone;

/// <summary>Kiln's own token, sent as X-Auth-Token when it asks Keystone about a user's token.</summary>
internal sealed record ServiceToken(string Value, DateTimeOffset ObtainedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>keystoneauth's MIN_TOKEN_LIFE_SECONDS: it re-authenticates when less than this is left.</summary>
    public static readonly TimeSpan RenewalMargin = TimeSpan.FromSeconds(120);

    /// <summary>
    /// When to get a new one: <see cref="RenewalMargin"/> before expiry, so that a validation never
    /// carries a token that expires in flight (up to four attempts of http_connect_timeout) or by a
    /// clock a little ahead of ours; or at half its life for a Keystone configured with very short tokens.
    /// </summary>
    public DateTimeOffset RenewAt => ExpiresAt - TimeSpan.FromTicks(Math.Min(RenewalMargin.Ticks, Math.Max(0, (ExpiresAt - ObtainedAt).Ticks / 2)));

    public bool NeedsRenewal(DateTimeOffset now) => now >= RenewAt;

    // Never print the token itself.
    public override string ToString() => $"service token expiring at {ExpiresAt:O}";
}
