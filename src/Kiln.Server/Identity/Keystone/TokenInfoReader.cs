using System.Collections.Frozen;

namespace Kiln.Server.Identity.Keystone;

/// <summary>Turns the body of Keystone's 200 into the validation result.</summary>
internal static class TokenInfoReader
{
    /// <summary>
    /// Valid with the token's identity; Invalid when it has expired by Kiln's clock (keystonemiddleware
    /// refuses a token with no validity left the same way). A body without user or expiry is not a
    /// token body: that throws, and the validation is Unavailable rather than a guess.
    /// </summary>
    public static TokenValidation Read(KeystoneToken? token, DateTimeOffset now)
    {
        if (token is not { User.Id: { Length: > 0 } userId, ExpiresAt: { } expiresAt })
        {
            throw new KeystoneUnavailableException("Keystone's answer to a token validation has no user id or expiry");
        }

        if (expiresAt <= now)
        {
            return new TokenValidation.Invalid("the token has expired");
        }

        var roles = (token.Roles ?? [])
            .Select(role => role.Name)
            .OfType<string>()
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        return new TokenValidation.Valid(new TokenInfo(
            userId,
            token.User.Name,
            token.User.Domain?.Id,
            token.Project?.Id,
            token.Project?.Name,
            token.Project?.Domain?.Id,
            roles,
            expiresAt,
            token.System?.All == true));
    }
}
