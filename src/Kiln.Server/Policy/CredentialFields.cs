namespace Kiln.Server.Policy;

/// <summary>
/// The creds fields oslo.policy's generic checks read, with Python's <c>str()</c> of each value:
/// what cinder's <c>RequestContext.to_policy_values()</c> gives for a token Kiln accepts.
/// </summary>
internal static class CredentialFields
{
    /// <summary>Python's <c>str(None)</c>: how a field that is present but unset compares.</summary>
    public const string None = "None";

    private static readonly string[] NoRoles = [];

    /// <summary>
    /// The scalar field <paramref name="key"/> as text, or false when creds have no such key
    /// (then the check fails, as oslo.policy's KeyError does).
    /// </summary>
    public static bool TryGetScalar(PolicyCredentials credentials, string key, out string value)
    {
        string? text;
        switch (key)
        {
            case "user_id": text = credentials.UserId; break;
            case "project_id": text = credentials.ProjectId; break;
            case "user_domain_id": text = credentials.UserDomainId; break;
            case "project_domain_id": text = credentials.ProjectDomainId; break;
            case "is_admin": text = PythonBool(credentials.IsAdmin); break;
            case "is_admin_project": text = PythonBool(credentials.IsAdminProject); break;
            case "system_scope": text = credentials.SystemScopeAll ? "all" : null; break;

            // oslo.policy copies a truthy system_scope into "system" (and only then is the key present).
            case "system" when credentials.SystemScopeAll: text = "all"; break;

            // Present in every oslo.context creds dict; Kiln has no domain-scoped tokens and no service tokens here.
            case "domain_id" or "service_user_id" or "service_user_domain_id" or "service_project_id" or "service_project_domain_id":
                text = null;
                break;
            default:
                value = string.Empty;
                return false;
        }

        value = text ?? None;
        return true;
    }

    /// <summary>The list field <paramref name="key"/> (<c>roles</c>, <c>service_roles</c>), or null when it is not a list field.</summary>
    public static IEnumerable<string>? FindList(PolicyCredentials credentials, string key) => key switch
    {
        "roles" => credentials.Roles,
        "service_roles" => NoRoles,
        _ => null,
    };

    /// <summary>Python's <c>str(bool)</c>.</summary>
    public static string PythonBool(bool value) => value ? "True" : "False";
}
