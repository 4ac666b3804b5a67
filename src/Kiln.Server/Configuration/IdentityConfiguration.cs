namespace Kiln.Server.Configuration;

/// <summary>How Kiln authenticates API requests: <c>auth_strategy</c> and, for Keystone, the <c>[keystone_authtoken]</c> options.</summary>
public sealed class IdentityConfiguration
{
    /// <summary>Throws when <paramref name="keystone"/> is given without <see cref="AuthStrategy.Keystone"/> or missing with it.</summary>
    public IdentityConfiguration(AuthStrategy authStrategy, KeystoneOptions? keystone)
    {
        if ((authStrategy == AuthStrategy.Keystone) != (keystone is not null))
        {
            throw new ArgumentException("Keystone options are required with the keystone strategy and only with it", nameof(keystone));
        }

        AuthStrategy = authStrategy;
        Keystone = keystone;
    }

    /// <summary>noauth, Kiln's default.</summary>
    public static IdentityConfiguration NoAuth { get; } = new(AuthStrategy.NoAuth, null);

    /// <summary>The strategy (<c>[DEFAULT] auth_strategy</c>; default noauth).</summary>
    public AuthStrategy AuthStrategy { get; }

    /// <summary>The <c>[keystone_authtoken]</c> options under <see cref="AuthStrategy.Keystone"/>; null under noauth.</summary>
    public KeystoneOptions? Keystone { get; }
}
