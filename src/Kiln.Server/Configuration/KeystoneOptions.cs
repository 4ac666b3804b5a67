namespace Kiln.Server.Configuration;

/// <summary>
/// The validated <c>[keystone_authtoken]</c> options: keystonemiddleware's names and defaults, for
/// Kiln's own service credentials (the <c>password</c> auth type) and its token cache.
/// </summary>
/// <remarks>A class, not a record, so that no generated ToString ever prints <see cref="Password"/>.</remarks>
public sealed class KeystoneOptions
{
    /// <summary>keystonemiddleware's <c>token_cache_time</c> default.</summary>
    public static readonly TimeSpan DefaultTokenCacheTime = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Kiln's per-attempt timeout when <c>http_connect_timeout</c> is unset. keystonemiddleware has none
    /// (a hung Keystone holds the request forever); Keystone answers a validation in milliseconds, so
    /// 5 s is generous, and with the default 3 retries a request waits at most about half a minute before 503.
    /// </summary>
    public static readonly TimeSpan DefaultHttpConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>keystonemiddleware's <c>http_request_max_retries</c> default.</summary>
    public const int DefaultHttpRequestMaxRetries = 3;

    /// <summary>The domain of the service user and of its project when neither name nor id is set.</summary>
    public const string DefaultDomainName = "Default";

    /// <summary>The Identity endpoint Kiln talks to (<c>auth_url</c>; required), unversioned or ending in /v3.</summary>
    public required Uri AuthUrl { get; init; }

    /// <summary>
    /// The public Identity endpoint named in <c>WWW-Authenticate: Keystone uri="…"</c> of a 401
    /// (<c>www_authenticate_uri</c>, formerly <c>auth_uri</c>; default: <see cref="AuthUrl"/>).
    /// </summary>
    public required string WwwAuthenticateUri { get; init; }

    /// <summary>Kiln's service user (<c>username</c>; required).</summary>
    public required string Username { get; init; }

    /// <summary>Its password (<c>password</c>; required). Never logged.</summary>
    public required string Password { get; init; }

    /// <summary>The project Kiln's service token is scoped to (<c>project_name</c>; required).</summary>
    public required string ProjectName { get; init; }

    /// <summary>The service user's domain by name (<c>user_domain_name</c>; default Default).</summary>
    public string UserDomainName { get; init; } = DefaultDomainName;

    /// <summary>The service user's domain by id (<c>user_domain_id</c>); when set it wins over the name.</summary>
    public string? UserDomainId { get; init; }

    /// <summary>The project's domain by name (<c>project_domain_name</c>; default Default).</summary>
    public string ProjectDomainName { get; init; } = DefaultDomainName;

    /// <summary>The project's domain by id (<c>project_domain_id</c>); when set it wins over the name.</summary>
    public string? ProjectDomainId { get; init; }

    /// <summary>How long a validated token is kept (<c>token_cache_time</c>; default 300 s); null when -1 disables caching.</summary>
    public TimeSpan? TokenCacheTime { get; init; } = DefaultTokenCacheTime;

    /// <summary>The timeout of each request to Keystone (<c>http_connect_timeout</c>; default <see cref="DefaultHttpConnectTimeout"/>).</summary>
    public TimeSpan HttpConnectTimeout { get; init; } = DefaultHttpConnectTimeout;

    /// <summary>Retries of a request that failed to connect, timed out or got a 5xx (<c>http_request_max_retries</c>; default 3).</summary>
    public int HttpRequestMaxRetries { get; init; } = DefaultHttpRequestMaxRetries;

    /// <summary><c>region_name</c>, accepted for compatibility; Kiln calls <see cref="AuthUrl"/> directly and never reads the catalog.</summary>
    public string? RegionName { get; init; }

    /// <summary><c>service_token_roles</c>, accepted for compatibility; Kiln does not accept service tokens (X-Service-Token).</summary>
    public IReadOnlyList<string> ServiceTokenRoles { get; init; } = ["service"];

    /// <summary><c>service_token_roles_required</c>, accepted for compatibility like <see cref="ServiceTokenRoles"/>.</summary>
    public bool ServiceTokenRolesRequired { get; init; } = true;
}
