namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// Refuses, without asking Keystone, what cannot be a token: Fernet and JWS tokens are a few hundred
/// printable ASCII characters. This keeps junk out of Keystone's logs and Kiln's headers.
/// </summary>
internal static class SubjectTokenCheck
{
    /// <summary>Far above any Keystone token since PKI tokens were removed (Ocata).</summary>
    public const int MaxLength = 8192;

    /// <summary>Why <paramref name="token"/> cannot be valid, or null when Keystone must be asked.</summary>
    public static string? Problem(string token) =>
        token.Length == 0 ? "no token"
        : token.Length > MaxLength ? $"the token is longer than {MaxLength} characters"
        : !token.All(c => c is > ' ' and <= '~') ? "the token contains characters no Keystone token has"
        : null;
}
