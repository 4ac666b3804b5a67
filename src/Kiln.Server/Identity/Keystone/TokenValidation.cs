namespace Kiln.Server.Identity.Keystone;

/// <summary>The outcome of validating a token: <see cref="Valid"/>, <see cref="Invalid"/> or <see cref="Unavailable"/>.</summary>
internal abstract record TokenValidation
{
    private TokenValidation()
    {
    }

    /// <summary>Keystone vouches for the token (possibly from the cache).</summary>
    public sealed record Valid(TokenInfo Token) : TokenValidation;

    /// <summary>The token must be refused with 401; <paramref name="Reason"/> never contains the token.</summary>
    public sealed record Invalid(string Reason) : TokenValidation;

    /// <summary>Keystone cannot be asked now and the token is not cached: refuse with 503 (fail closed).</summary>
    public sealed record Unavailable(string Reason) : TokenValidation;
}
