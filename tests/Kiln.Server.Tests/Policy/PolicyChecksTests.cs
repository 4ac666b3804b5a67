using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

/// <summary>What each kind of check decides, on a rule set of one rule named "test".</summary>
public sealed class PolicyChecksTests
{
    private static readonly Dictionary<string, string?> Target = new()
    {
        ["project_id"] = "project-a",
        ["user_id"] = "owner-a",
        ["role"] = "Auditor",
        ["nothing"] = null,
    };

    private static readonly PolicyCredentials MemberOfA = new("user-a", "project-a", new HashSet<string> { "member", "reader" }, IsAdmin: false,
        UserDomainId: "default", ProjectDomainId: "default");

    [Theory]
    [InlineData("role:member", true)]
    [InlineData("role:MEMBER", true)]
    [InlineData("role:admin", false)]
    [InlineData("role:%(role)s", false)]
    [InlineData("role:%(missing)s", false)]
    [InlineData("project_id:%(project_id)s", true)]
    [InlineData("user_id:%(user_id)s", false)]
    [InlineData("user_id:user-a", true)]
    [InlineData("project_id:'project-a'", false)] // oslo.policy compares the quotes too
    [InlineData("project_id:%(missing)s", false)]
    [InlineData("project_id:project-%(nothing)s", false)]
    [InlineData("user_domain_id:default", true)]
    [InlineData("project_domain_id:default", true)]
    [InlineData("is_admin:True", false)]
    [InlineData("is_admin:False", true)]
    [InlineData("is_admin:false", false)] // Python's str(False) is "False"
    [InlineData("is_admin_project:True", true)]
    [InlineData("system_scope:all", false)]
    [InlineData("system_scope:None", true)] // present and None, so it compares as "None"
    [InlineData("system:None", false)] // oslo.policy adds "system" only for a system-scoped token
    [InlineData("domain_id:None", true)]
    [InlineData("roles:member", true)]
    [InlineData("roles:Member", false)] // a generic check on roles is exact, unlike role:
    [InlineData("no_such_field:x", false)]
    [InlineData("user.id:user-a", false)]
    [InlineData("'project-a':%(project_id)s", true)]
    [InlineData("\"project-b\":%(project_id)s", false)]
    [InlineData("None:%(nothing)s", true)]
    [InlineData("True:True", true)]
    [InlineData("42:42", true)]
    [InlineData("-0:0", true)]
    [InlineData("@", true)]
    [InlineData("!", false)]
    [InlineData("", true)]
    [InlineData("not role:admin", true)]
    [InlineData("role:admin or role:reader", true)]
    [InlineData("role:admin and role:reader", false)]
    [InlineData("role:reader and project_id:%(project_id)s", true)]
    public void Authorize_Check_DecidesAsOsloPolicy(string rule, bool allowed)
    {
        var enforcer = PolicyTestEnforcers.WithFile($"test: {Quote(rule)}");

        enforcer.Authorize("test", MemberOfA, Target).ShouldBe(allowed);
    }

    [Theory]
    [InlineData("system_scope:all", true)]
    [InlineData("system:all", true)]
    [InlineData("project_id:None", true)]
    [InlineData("project_id:%(project_id)s", false)]
    [InlineData("role:admin and system_scope:all", true)]
    public void Authorize_SystemScopedToken_SeesSystemScopeAll(string rule, bool allowed)
    {
        var systemAdmin = new PolicyCredentials("admin", null, new HashSet<string> { "admin" }, IsAdmin: true, SystemScopeAll: true);
        var enforcer = PolicyTestEnforcers.WithFile($"test: {Quote(rule)}");

        enforcer.Authorize("test", systemAdmin, Target).ShouldBe(allowed);
    }

    [Fact]
    public void Authorize_TargetValueNullAndCredentialUnset_MatchAsPythonNone()
    {
        // Python formats None as "None" on both sides, so oslo.policy lets these match; Kiln does the same.
        var unscoped = new PolicyCredentials("user", null, new HashSet<string>(), IsAdmin: false);
        var enforcer = PolicyTestEnforcers.WithFile("test: 'project_id:%(project_id)s'");

        enforcer.Authorize("test", unscoped, new Dictionary<string, string?> { ["project_id"] = null }).ShouldBeTrue();
        enforcer.Authorize("test", unscoped, new Dictionary<string, string?>()).ShouldBeFalse();
    }

    [Fact]
    public void Authorize_IsAdminProjectFalse_FailsAdminApiForAnAdminWithoutIsAdmin()
    {
        var enforcer = PolicyEnforcerLoader.FromDefaults();
        var adminElsewhere = new PolicyCredentials("u", "p", new HashSet<string> { "admin" }, IsAdmin: false, IsAdminProject: false);
        var adminHere = adminElsewhere with { IsAdminProject = true };

        enforcer.Authorize(CinderPolicyRules.AdminApi, adminElsewhere, Target).ShouldBeFalse();
        enforcer.Authorize(CinderPolicyRules.AdminApi, adminHere, Target).ShouldBeTrue();
    }

    private static string Quote(string rule) => "'" + rule.Replace("'", "''", StringComparison.Ordinal) + "'";
}
