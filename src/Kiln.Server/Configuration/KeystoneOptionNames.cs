namespace Kiln.Server.Configuration;

/// <summary>The <c>[keystone_authtoken]</c> options Kiln reads: keystonemiddleware's names.</summary>
internal static class KeystoneOptionNames
{
    public const string Section = "keystone_authtoken";

    public const string WwwAuthenticateUri = "www_authenticate_uri";
    public const string AuthUri = "auth_uri";
    public const string AuthUrl = "auth_url";
    public const string AuthType = "auth_type";
    public const string Username = "username";
    public const string Password = "password";
    public const string ProjectName = "project_name";
    public const string UserDomainName = "user_domain_name";
    public const string ProjectDomainName = "project_domain_name";
    public const string UserDomainId = "user_domain_id";
    public const string ProjectDomainId = "project_domain_id";
    public const string TokenCacheTime = "token_cache_time";
    public const string HttpConnectTimeout = "http_connect_timeout";
    public const string HttpRequestMaxRetries = "http_request_max_retries";
    public const string RegionName = "region_name";
    public const string ServiceTokenRoles = "service_token_roles";
    public const string ServiceTokenRolesRequired = "service_token_roles_required";
    public const string MemcachedServers = "memcached_servers";

    /// <summary>Every option of the section Kiln knows; others are warned about and ignored.</summary>
    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(
        [
            WwwAuthenticateUri, AuthUri, AuthUrl, AuthType, Username, Password, ProjectName, UserDomainName,
            ProjectDomainName, UserDomainId, ProjectDomainId, TokenCacheTime, HttpConnectTimeout,
            HttpRequestMaxRetries, RegionName, ServiceTokenRoles, ServiceTokenRolesRequired, MemcachedServers,
        ],
        StringComparer.OrdinalIgnoreCase);
}
