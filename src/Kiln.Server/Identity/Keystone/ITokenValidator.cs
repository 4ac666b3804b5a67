namespace Kiln.Server.Identity.Keystone;

/// <summary>Decides whether a user's token (the X-Auth-Token of a request) is valid, and whose it is.</summary>
internal interface ITokenValidator
{
    /// <summary>
    /// Valid with the token's identity, Invalid when the token must be refused (401), or Unavailable
    /// when it cannot be decided now (503: fail closed). Never throws for Keystone's failures.
    /// </summary>
    ValueTask<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken);
}
