namespace Kiln.Server.Configuration;

/// <summary>How API requests are authenticated (<c>[DEFAULT] auth_strategy</c>, Cinder's option).</summary>
public enum AuthStrategy
{
    /// <summary>No authentication: any caller acts as an admin of the project named in the URL (<c>noauth</c>).</summary>
    NoAuth,

    /// <summary>Keystone tokens, validated as keystonemiddleware's auth_token does (<c>keystone</c>).</summary>
    Keystone,
}
