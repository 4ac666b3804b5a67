using System.Reflection;
using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

public sealed class CinderPolicyDefaultsTests
{
    [Fact]
    public void All_IsEveryRuleCinderZedRegisters()
    {
        CinderPolicyDefaults.CinderVersion.ShouldStartWith("21.");
        CinderPolicyDefaults.All.Count.ShouldBe(166);
    }

    [Fact]
    public void Registered_NamesAreUnique()
    {
        PolicyEnforcerLoader.Registered.Select(r => r.Name).ShouldBeUnique();
    }

    [Fact]
    public void Registered_EveryCheckStringParses()
    {
        foreach (var rule in PolicyEnforcerLoader.Registered)
        {
            Should.NotThrow(() => PolicyRuleParser.Parse(rule.CheckString), rule.Name);
            if (rule.Deprecated is { } deprecated)
            {
                Should.NotThrow(() => PolicyRuleParser.Parse(deprecated.CheckString), rule.Name);
            }
        }
    }

    [Fact]
    public void FromDefaults_HasNoWarningsAndNoPolicyFile()
    {
        var enforcer = PolicyEnforcerLoader.FromDefaults();

        enforcer.Warnings.ShouldBeEmpty();
        enforcer.PolicyFile.ShouldBeNull();
    }

    [Fact]
    public void CinderPolicyRules_EveryConstantIsARuleCinderRegisters()
    {
        var cinder = CinderPolicyDefaults.All.Select(r => r.Name).ToHashSet();

        Constants(typeof(CinderPolicyRules)).ShouldAllBe(name => cinder.Contains(name));
    }

    [Fact]
    public void KilnPolicyRules_EveryConstantIsRegisteredAsAdminApiAndIsNotCinders()
    {
        var cinder = CinderPolicyDefaults.All.Select(r => r.Name).ToHashSet();

        foreach (var name in Constants(typeof(KilnPolicyRules)))
        {
            cinder.ShouldNotContain(name);
            KilnPolicyDefaults.All.ShouldContain(r => r.Name == name && r.CheckString == "rule:admin_api");
        }
    }

    [Fact]
    public void All_RenamedTypesManageRule_IsTheDeprecatedNameOfTheThreeTypeRules()
    {
        CinderPolicyDefaults.All.Where(r => r.Deprecated?.Name == "volume_extension:types_manage").Select(r => r.Name)
            .ShouldBe([CinderPolicyRules.TypeCreate, CinderPolicyRules.TypeUpdate, CinderPolicyRules.TypeDelete]);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
}
