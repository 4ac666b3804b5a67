namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>
/// A Keystone user with a password and the project its tokens are scoped to (both in domain Default),
/// and Keystone's ids of the two, learned from a token it issued.
/// </summary>
internal sealed record KeystoneUser(string AuthUrl, string Name, string Password, string ProjectName, string UserId, string ProjectId)
{
    /// <summary>The OS_* variables of an openrc file for this user, as openstack, cinder and kiln read them.</summary>
    public IReadOnlyDictionary<string, string> OpenRc => new Dictionary<string, string>
    {
        ["OS_AUTH_URL"] = AuthUrl,
        ["OS_USERNAME"] = Name,
        ["OS_PASSWORD"] = Password,
        ["OS_PROJECT_NAME"] = ProjectName,
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        ["OS_IDENTITY_API_VERSION"] = "3",
        ["OS_REGION_NAME"] = "RegionOne",
    };

    /// <summary>The same user with another password (Keystone refuses it).</summary>
    public KeystoneUser WithPassword(string password) => this with { Password = password };
}

/// <summary>A token Keystone issued (<c>X-Subject-Token</c>), with the user and project it names.</summary>
internal sealed record IssuedToken(string Id, string UserId, string ProjectId);
