namespace Kiln.Cli.Identity;

/// <summary>The environment variables openstackclient (and keystoneauth) read, which kiln reads the same way.</summary>
internal static class OpenStackVariables
{
    public const string AuthUrl = "OS_AUTH_URL";
    public const string AuthType = "OS_AUTH_TYPE";
    public const string Username = "OS_USERNAME";
    public const string UserId = "OS_USER_ID";
    public const string Password = "OS_PASSWORD";
    public const string UserDomainName = "OS_USER_DOMAIN_NAME";
    public const string UserDomainId = "OS_USER_DOMAIN_ID";
    public const string ProjectName = "OS_PROJECT_NAME";
    public const string ProjectId = "OS_PROJECT_ID";
    public const string ProjectDomainName = "OS_PROJECT_DOMAIN_NAME";
    public const string ProjectDomainId = "OS_PROJECT_DOMAIN_ID";

    /// <summary>The domain id used for the user and the project when neither has a domain (openstackclient's <c>--os-default-domain</c>).</summary>
    public const string DefaultDomain = "OS_DEFAULT_DOMAIN";

    /// <summary>Identity v2 names that openstackclient still reads for the project.</summary>
    public const string TenantName = "OS_TENANT_NAME";
    public const string TenantId = "OS_TENANT_ID";

    public const string Token = "OS_TOKEN";
    public const string RegionName = "OS_REGION_NAME";
    public const string Interface = "OS_INTERFACE";

    /// <summary>The older name of <see cref="Interface"/> (<c>publicURL</c>), still read by openstacksdk.</summary>
    public const string EndpointType = "OS_ENDPOINT_TYPE";

    /// <summary>The service endpoint for a token sent as it is (<c>admin_token</c>) or for <c>OS_AUTH_TYPE=none</c>.</summary>
    public const string Endpoint = "OS_ENDPOINT";

    /// <summary>openstackclient's default for <see cref="DefaultDomain"/>: the id of Keystone's default domain.</summary>
    public const string DefaultDomainId = "default";

    public const string DefaultInterface = "public";
}
