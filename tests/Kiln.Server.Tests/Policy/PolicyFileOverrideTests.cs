using Kiln.Server.Configuration;
using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

/// <summary>Defaults overridden by policy file text: what changes, what does not, and what is refused.</summary>
public sealed class PolicyFileOverrideTests
{
    private static readonly OsloDecisions Table = OsloDecisions.Committed;
    private static readonly PolicyCredentials Admin = Table.Personas["admin"];
    private static readonly PolicyCredentials MemberOfA = Table.Personas["member-a"];
    private static readonly PolicyCredentials ReaderOfA = Table.Personas["reader-a"];
    private static readonly PolicyCredentials NoRolesInA = Table.Personas["no-roles-a"];

    [Fact]
    public void FromText_OneRuleOverridden_ChangesThatRuleOnly()
    {
        var enforcer = PolicyTestEnforcers.WithFile("\"volume:delete\": \"rule:admin_api\"\n");

        enforcer.Authorize(CinderPolicyRules.VolumeDelete, MemberOfA, Table.Target).ShouldBeFalse();
        enforcer.Authorize(CinderPolicyRules.VolumeDelete, Admin, Table.Target).ShouldBeTrue();
        enforcer.Authorize(CinderPolicyRules.VolumeGet, MemberOfA, Table.Target).ShouldBeTrue();
        enforcer.PolicyFile.ShouldBe(PolicyTestEnforcers.Source);
    }

    [Fact]
    public void FromText_JsonForm_IsReadLikeYaml()
    {
        var enforcer = PolicyTestEnforcers.WithFile("{\n\t\"volume:delete\": \"rule:admin_api\",\n\t\"volume:get\": \"!\"\n}\n");

        enforcer.Authorize(CinderPolicyRules.VolumeDelete, MemberOfA, Table.Target).ShouldBeFalse();
        enforcer.Authorize(CinderPolicyRules.VolumeGet, Admin, Table.Target).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("# every rule is commented out, as in oslopolicy-sample-generator's output\n#\"volume:get\": \"!\"\n")]
    [InlineData("---\n")]
    [InlineData("{}")]
    public void FromText_NoRules_LeavesTheDefaults(string text)
    {
        var enforcer = PolicyTestEnforcers.WithFile(text);

        enforcer.Authorize(CinderPolicyRules.VolumeGet, MemberOfA, Table.Target).ShouldBeTrue();
        enforcer.Authorize(CinderPolicyRules.VolumeResetStatus, MemberOfA, Table.Target).ShouldBeFalse();
    }

    [Theory]
    [InlineData("\"volume:delete\": \"\"")]
    [InlineData("\"volume:delete\":")]
    [InlineData("\"volume:delete\": ~")]
    [InlineData("{\"volume:delete\": null}")]
    public void FromText_EmptyOrNullRule_AllowsEveryone(string text)
    {
        PolicyTestEnforcers.WithFile(text).Authorize(CinderPolicyRules.VolumeDelete, Table.Personas["member-b"], Table.Target).ShouldBeTrue();
    }

    [Fact]
    public void FromText_OverriddenRuleWithDeprecatedDefault_IsNotOredWithTheDeprecatedRule()
    {
        // Without the file, no-roles-a may get the volume through the deprecated admin_or_owner.
        var enforcer = PolicyTestEnforcers.WithFile("\"volume:get\": \"role:reader and project_id:%(project_id)s\"");

        enforcer.Authorize(CinderPolicyRules.VolumeGet, NoRolesInA, Table.Target).ShouldBeFalse();
        enforcer.Authorize(CinderPolicyRules.VolumeGet, ReaderOfA, Table.Target).ShouldBeTrue();
    }

    [Fact]
    public void FromText_OverrideOfRenamedRulesOldName_AppliesToTheNewNamesWithAWarning()
    {
        var enforcer = PolicyTestEnforcers.WithFile("\"volume_extension:types_manage\": \"role:member\"");

        enforcer.Authorize(CinderPolicyRules.TypeCreate, MemberOfA, Table.Target).ShouldBeTrue();
        enforcer.Authorize(CinderPolicyRules.TypeDelete, MemberOfA, Table.Target).ShouldBeTrue();
        enforcer.Warnings.ShouldContain(
            $"{PolicyTestEnforcers.Source}: rule 'volume_extension:types_manage' is deprecated in favour of '{CinderPolicyRules.TypeCreate}'; its override applies to '{CinderPolicyRules.TypeCreate}' until you rename it");
    }

    [Fact]
    public void FromText_OldNamePointingAtTheNewName_LeavesTheNewDefault()
    {
        var enforcer = PolicyTestEnforcers.WithFile($"\"volume_extension:types_manage\": \"rule:{CinderPolicyRules.TypeCreate}\"");

        enforcer.Authorize(CinderPolicyRules.TypeCreate, MemberOfA, Table.Target).ShouldBeFalse();
        enforcer.Authorize(CinderPolicyRules.TypeCreate, Admin, Table.Target).ShouldBeTrue();
    }

    [Fact]
    public void FromText_DefaultRuleDefined_DecidesUnknownNamesAndUndefinedReferences()
    {
        var enforcer = PolicyTestEnforcers.WithFile("default: \"role:member\"\n\"kiln:custom\": \"rule:not_defined\"\n");

        enforcer.Authorize("no:such:rule", MemberOfA, Table.Target).ShouldBeTrue();
        enforcer.Authorize("no:such:rule", ReaderOfA, Table.Target).ShouldBeFalse();
        enforcer.Authorize("kiln:custom", MemberOfA, Table.Target).ShouldBeTrue();
        enforcer.Warnings.ShouldContain($"{PolicyTestEnforcers.Source}: rule 'kiln:custom' refers to rule 'not_defined', which is not defined; the 'default' rule decides instead");
    }

    [Fact]
    public void FromText_NoDefaultRule_DeniesUnknownNamesAndUndefinedReferences()
    {
        var enforcer = PolicyTestEnforcers.WithFile("\"kiln:custom\": \"rule:not_defined or role:nobody\"\n");

        enforcer.Authorize("no:such:rule", Admin, Table.Target).ShouldBeFalse();
        enforcer.Authorize("kiln:custom", Admin, Table.Target).ShouldBeFalse();
        enforcer.Warnings.ShouldHaveSingleItem().ShouldEndWith("which is not defined; that reference always denies");
    }

    [Fact]
    public void FromText_HelperRuleReferencedByAnOverride_IsUsed()
    {
        var enforcer = PolicyTestEnforcers.WithFile("\"kiln:auditor\": \"role:auditor\"\n\"volume:get_all\": \"rule:kiln:auditor or rule:admin_api\"\n");
        var auditor = MemberOfA with { Roles = new HashSet<string> { "Auditor" } };

        enforcer.Authorize(CinderPolicyRules.VolumeGetAll, auditor, Table.Target).ShouldBeTrue();
        enforcer.Authorize(CinderPolicyRules.VolumeGetAll, MemberOfA, Table.Target).ShouldBeFalse();
    }

    [Theory]
    [InlineData("a: rule:b\nb: rule:a\n", "rule 'a' refers to itself through a -> b -> a")]
    [InlineData("admin_api: 'rule:admin_api or role:operator'\n", "rule 'admin_api' refers to itself through admin_api -> admin_api")]
    [InlineData("context_is_admin: rule:admin_api\nadmin_api: 'rule:context_is_admin'\n", "rule 'admin_api' refers to itself through admin_api -> context_is_admin -> admin_api")]
    [InlineData("default: rule:missing\n", "rule 'default' refers to itself through default -> default")]
    public void FromText_RulesReferringToThemselves_AreRefusedNamingTheCycle(string text, string message)
    {
        Should.Throw<KilnConfigurationException>(() => PolicyTestEnforcers.WithFile(text)).Message.ShouldBe($"{PolicyTestEnforcers.Source}: {message}");
    }

    [Fact]
    public void FromText_ChainLongerThanTheLimit_IsRefused()
    {
        var chain = string.Join('\n', Enumerable.Range(0, PolicyReferenceCheck.MaxChain + 1).Select(i => $"r{i}: rule:r{i + 1}"));

        Should.Throw<KilnConfigurationException>(() => PolicyTestEnforcers.WithFile(chain)).Message.ShouldContain("rule: references");
    }

    [Theory]
    [InlineData("\"volume:get\": \"role:reader\"\n\"volume:delete\": \"role:admin and\"\n",
        "/etc/kiln/policy.yaml:2: rule 'volume:delete' = 'role:admin and' cannot be parsed: 'and' has no check after it")]
    [InlineData("{\"volume:delete\": \"(role:admin\"}", "/etc/kiln/policy.yaml: rule 'volume:delete' = '(role:admin' cannot be parsed: a '(' is never closed")]
    [InlineData("\"volume:delete\": admin\n", "/etc/kiln/policy.yaml:1: rule 'volume:delete' = 'admin' cannot be parsed: 'admin' is not a check: expected KIND:MATCH (rule:NAME, role:NAME, field:value), @ or !")]
    [InlineData("\"volume:delete\": true\n", "/etc/kiln/policy.yaml:1: rule 'volume:delete' = true is read by YAML as a boolean or number, not a rule; quote it")]
    [InlineData("\"volume:delete\": 0\n", "/etc/kiln/policy.yaml:1: rule 'volume:delete' = 0 is read by YAML as a boolean or number, not a rule; quote it")]
    [InlineData("\"volume:delete\": [\"role:admin\"]\n", "/etc/kiln/policy.yaml:1: rule 'volume:delete' is a list (oslo.policy's old list-of-lists syntax), which Kiln does not read; write it as a rule string")]
    [InlineData("\"volume:delete\": {a: b}\n", "/etc/kiln/policy.yaml:1: rule 'volume:delete' is not a rule string")]
    [InlineData("\"volume:delete\": !!int \"1\"\n", "/etc/kiln/policy.yaml:1: rule 'volume:delete' has the YAML tag tag:yaml.org,2002:int; write the rule as a plain string")]
    [InlineData("a: '@'\nb: '!'\na: '!'\n", "/etc/kiln/policy.yaml:3: rule 'a' is defined twice (first on line 1); keep one")]
    [InlineData("{\"a\": \"@\", \"a\": \"!\"}", "/etc/kiln/policy.yaml: rule 'a' is defined twice; keep one")]
    [InlineData("- role:admin\n", "/etc/kiln/policy.yaml:1: expected a mapping of rule names to rule strings")]
    [InlineData("just text\n", "/etc/kiln/policy.yaml:1: expected a mapping of rule names to rule strings")]
    [InlineData("a: '@'\n---\nb: '!'\n", "/etc/kiln/policy.yaml:2: a policy file holds one YAML document, not several")]
    public void FromText_BadFile_IsOneLineNamingTheFileAndRule(string text, string message)
    {
        Should.Throw<KilnConfigurationException>(() => PolicyTestEnforcers.WithFile(text)).Message.ShouldBe(message);
    }

    [Fact]
    public void FromText_InvalidYaml_NamesTheFileAndLine()
    {
        var message = Should.Throw<KilnConfigurationException>(() => PolicyTestEnforcers.WithFile("a: '@'\nb: \"unterminated\n")).Message;

        message.ShouldStartWith($"{PolicyTestEnforcers.Source}:");
        message.ShouldContain("not a valid YAML policy file");
        message.ShouldNotContain("\n");
    }

    [Fact]
    public void FromText_YamlAliasAndBlockScalar_AreRead()
    {
        var enforcer = PolicyTestEnforcers.WithFile(
            """
            "volume:get": &readers >-
              role:reader and
              project_id:%(project_id)s
            "volume:get_all": *readers
            """);

        enforcer.Authorize(CinderPolicyRules.VolumeGetAll, NoRolesInA, Table.Target).ShouldBeFalse();
        enforcer.Authorize(CinderPolicyRules.VolumeGetAll, ReaderOfA, Table.Target).ShouldBeTrue();
    }
}
