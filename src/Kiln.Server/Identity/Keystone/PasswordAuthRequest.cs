using System.Text;
using Kiln.Server.Configuration;

namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// The body of <c>POST /v3/auth/tokens</c> that gets Kiln's service token: the password method,
/// scoped to <c>project_name</c>. Domains go by id when one is configured, otherwise by name.
/// </summary>
internal sealed record PasswordAuthRequest(PasswordAuth Auth)
{
    public static PasswordAuthRequest For(KeystoneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var user = new PasswordUser(options.Username, options.Password, Domain(options.UserDomainId, options.UserDomainName));
        var project = new ScopedProject(options.ProjectName, Domain(options.ProjectDomainId, options.ProjectDomainName));
        return new(new PasswordAuth(new PasswordIdentity(["password"], new PasswordMethod(user)), new ProjectScope(project)));
    }

    /// <summary>A user's own password, scoped to a project; domains by name (the dashboard's login form).</summary>
    public static PasswordAuthRequest ForUser(string user, string password, string userDomain, string project, string projectDomain) =>
        new(new PasswordAuth(
            new PasswordIdentity(["password"], new PasswordMethod(new PasswordUser(user, password, new(null, userDomain)))),
            new ProjectScope(new ScopedProject(project, new(null, projectDomain)))));

    private static KeystoneDomain Domain(string? id, string name) => id is null ? new(null, name) : new(id, null);
}

/// <summary><c>auth</c>: who and for which scope.</summary>
internal sealed record PasswordAuth(PasswordIdentity Identity, ProjectScope Scope);

/// <summary><c>identity</c>: the methods used and their credentials.</summary>
internal sealed record PasswordIdentity(IReadOnlyList<string> Methods, PasswordMethod Password);

/// <summary><c>password</c>: the method's credentials.</summary>
internal sealed record PasswordMethod(PasswordUser User);

/// <summary>The service user by name within its domain.</summary>
internal sealed record PasswordUser(string Name, string Password, KeystoneDomain Domain)
{
    // Whatever prints a request (a debugger, a log line written later) never shows the password.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Password = ***, Domain = ").Append(Domain);
        return true;
    }
}

/// <summary><c>scope</c>: a project.</summary>
internal sealed record ProjectScope(ScopedProject Project);

/// <summary>The project by name within its domain.</summary>
internal sealed record ScopedProject(string Name, KeystoneDomain Domain);
