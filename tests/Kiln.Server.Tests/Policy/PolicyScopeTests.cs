using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

/// <summary>
/// enforce_scope against rules that declare scope types. Cinder Zed declares none, so these use
/// rules of their own: with Cinder's defaults the option changes no decision.
/// </summary>
public sealed class PolicyScopeTests
{
    private static readonly PolicyDefault[] Registered =
    [
        new("system:thing", "role:admin", ScopeTypes: ["system"]),
        new("project:thing", "role:admin", ScopeTypes: ["project"]),
        new("any:thing", "role:admin"),
    ];

    private static readonly Dictionary<string, string?> Target = new() { ["project_id"] = "p" };
    private static readonly PolicyCredentials ProjectAdmin = new("u", "p", new HashSet<string> { "admin" }, IsAdmin: true);
    private static readonly PolicyCredentials SystemAdmin = new("u", null, new HashSet<string> { "admin" }, IsAdmin: true, SystemScopeAll: true);

    [Theory]
    [InlineData("system:thing", true, false, true)]
    [InlineData("project:thing", true, true, false)]
    [InlineData("any:thing", true, true, true)]
    [InlineData("system:thing", false, true, true)]
    [InlineData("project:thing", false, true, true)]
    public void Authorize_ScopeTypes_RefuseTheOtherScopeOnlyWhenEnforced(string rule, bool enforceScope, bool projectAllowed, bool systemAllowed)
    {
        var enforcer = PolicyEnforcerLoader.Build(Registered, [], "test", policyFile: null, enforceNewDefaults: false, enforceScope);

        enforcer.Authorize(rule, ProjectAdmin, Target).ShouldBe(projectAllowed);
        enforcer.Authorize(rule, SystemAdmin, Target).ShouldBe(systemAllowed);
    }

    [Fact]
    public void Authorize_ScopeTypesStillApplyWhenTheRuleIsOverridden()
    {
        var enforcer = PolicyEnforcerLoader.Build(Registered, [new PolicyFileRule("system:thing", "@")], "test", policyFile: null, enforceNewDefaults: false, enforceScope: true);

        enforcer.Authorize("system:thing", ProjectAdmin, Target).ShouldBeFalse();
        enforcer.Authorize("system:thing", SystemAdmin, Target).ShouldBeTrue();
    }

    [Fact]
    public void FromDefaults_EnforceScope_ChangesNoCinderDecision()
    {
        var table = OsloDecisions.Committed;
        var unscoped = PolicyEnforcerLoader.FromDefaults(enforceScope: false);
        var scoped = PolicyEnforcerLoader.FromDefaults(enforceScope: true);

        foreach (var rule in PolicyEnforcerLoader.Registered.Select(r => r.Name))
        {
            table.AllowedBy(scoped, rule).ShouldBe(table.AllowedBy(unscoped, rule), rule);
        }
    }
}
