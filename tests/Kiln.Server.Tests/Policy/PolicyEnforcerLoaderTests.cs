using Kiln.Server.Configuration;
using Kiln.Server.Policy;
using Kiln.Server.Tests.Configuration;

namespace Kiln.Server.Tests.Policy;

/// <summary>[oslo_policy] in kiln.conf, and the policy file it names, read from disk.</summary>
public sealed class PolicyEnforcerLoaderTests
{
    private static readonly OsloDecisions Table = OsloDecisions.Committed;

    [Fact]
    public void Load_NoOsloPolicySection_UsesPolicyYamlBesideKilnConfAndItsAbsenceIsFine()
    {
        using var conf = new TempConfigFile("[DEFAULT]\nhost = node-1\n");
        var options = KilnConfigurationLoader.Load(conf.Path, TempConfigFile.NoEnvironment).Policy;

        options.ShouldBe(new PolicyOptions(Path.Combine(conf.DirectoryPath, "policy.yaml")));
        var enforcer = PolicyEnforcerLoader.Load(options);
        enforcer.PolicyFile.ShouldBeNull();
        enforcer.Authorize(CinderPolicyRules.VolumeGet, Table.Personas["no-roles-a"], Table.Target).ShouldBeTrue();
    }

    [Fact]
    public void Load_PolicyYamlBesideKilnConf_OverridesTheDefaults()
    {
        using var conf = new TempConfigFile("[DEFAULT]\nhost = node-1\n");
        File.WriteAllText(Path.Combine(conf.DirectoryPath, "policy.yaml"), "\"volume:get\": \"rule:admin_api\"\n");

        var enforcer = PolicyEnforcerLoader.Load(KilnConfigurationLoader.Load(conf.Path, TempConfigFile.NoEnvironment).Policy);

        enforcer.PolicyFile.ShouldBe(Path.Combine(conf.DirectoryPath, "policy.yaml"));
        enforcer.Authorize(CinderPolicyRules.VolumeGet, Table.Personas["member-a"], Table.Target).ShouldBeFalse();
    }

    [Fact]
    public void Load_OsloPolicyOptions_AreReadWithRelativePolicyFileBesideKilnConf()
    {
        using var conf = new TempConfigFile("[oslo_policy]\npolicy_file = rules/kiln-policy.json\nenforce_new_defaults = true\nenforce_scope = True\n");
        var configuration = KilnConfigurationLoader.Load(conf.Path, TempConfigFile.NoEnvironment);

        configuration.Policy.ShouldBe(new PolicyOptions(
            Path.Combine(conf.DirectoryPath, "rules", "kiln-policy.json"), PolicyFileRequired: true, EnforceNewDefaults: true, EnforceScope: true,
            Origin: $"{conf.Path}:2"));
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_NamedPolicyFileMissing_IsAStartUpErrorNamingTheOption()
    {
        using var conf = new TempConfigFile("[oslo_policy]\npolicy_file = missing.yaml\n");
        var options = KilnConfigurationLoader.Load(conf.Path, TempConfigFile.NoEnvironment).Policy;

        Should.Throw<KilnConfigurationException>(() => PolicyEnforcerLoader.Load(options)).Message
            .ShouldBe($"{conf.Path}:2: [oslo_policy] policy_file: policy file {Path.Combine(conf.DirectoryPath, "missing.yaml")} does not exist");
    }

    [Fact]
    public void Load_PolicyFileIsADirectory_IsAStartUpError()
    {
        using var conf = new TempConfigFile($"[oslo_policy]\npolicy_file = {Path.GetTempPath()}\n");
        var options = KilnConfigurationLoader.Load(conf.Path, TempConfigFile.NoEnvironment).Policy;

        Should.Throw<KilnConfigurationException>(() => PolicyEnforcerLoader.Load(options)).Message.ShouldEndWith("is a directory, not a policy file");
    }

    [Fact]
    public void Load_PolicyFileWithABadRule_IsOneLineNamingTheFileAndRule()
    {
        using var conf = new TempConfigFile("[oslo_policy]\npolicy_file = policy.yaml\n");
        var file = Path.Combine(conf.DirectoryPath, "policy.yaml");
        File.WriteAllText(file, "# overrides\n\"volume:create\": \"role:member or\"\n");
        var options = KilnConfigurationLoader.Load(conf.Path, TempConfigFile.NoEnvironment).Policy;

        Should.Throw<KilnConfigurationException>(() => PolicyEnforcerLoader.Load(options)).Message
            .ShouldBe($"{file}:2: rule 'volume:create' = 'role:member or' cannot be parsed: 'or' has no check after it");
    }

    [Fact]
    public void Load_EnforceNewDefaults_DropsTheDeprecatedRules()
    {
        using var conf = new TempConfigFile("[oslo_policy]\nenforce_new_defaults = true\n");
        var enforcer = PolicyEnforcerLoader.Load(KilnConfigurationLoader.Load(conf.Path, TempConfigFile.NoEnvironment).Policy);

        enforcer.Authorize(CinderPolicyRules.VolumeGet, Table.Personas["no-roles-a"], Table.Target).ShouldBeFalse();
        enforcer.Authorize(CinderPolicyRules.VolumeGet, Table.Personas["reader-a"], Table.Target).ShouldBeTrue();
    }

    [Theory]
    [InlineData("enforce_new_defaults = maybe", "[oslo_policy] enforce_new_defaults = 'maybe' is invalid: expected true or false")]
    [InlineData("enforce_scope = 2", "[oslo_policy] enforce_scope = '2' is invalid: expected true or false")]
    [InlineData("policy_file =", "[oslo_policy] policy_file = '' is invalid: expected the path of a policy file (relative to the directory of kiln.conf)")]
    public void Load_BadOsloPolicyOption_IsAStartUpErrorNamingIt(string line, string message)
    {
        var (actual, path) = TempConfigFile.LoadFails($"[oslo_policy]\n{line}\n");

        actual.ShouldBe($"{path}:2: {message}");
    }

    [Fact]
    public void Load_UnknownOsloPolicyOption_IsAWarning()
    {
        var configuration = TempConfigFile.Load("[oslo_policy]\npolicy_dirs = policy.d\n");

        configuration.Warnings.ShouldHaveSingleItem().ShouldEndWith("[oslo_policy] policy_dirs is not a known option and is ignored");
    }

    [Fact]
    public void Load_EmbeddedDefaults_LookForPolicyYamlInTheCurrentDirectory()
    {
        var options = KilnConfigurationLoader.Load(null, TempConfigFile.NoEnvironment).Policy;

        options.ShouldBe(new PolicyOptions(Path.GetFullPath("policy.yaml")));
    }

    [Fact]
    public void IsContextAdmin_FollowsTheContextIsAdminRule()
    {
        var defaults = PolicyEnforcerLoader.FromDefaults();
        var overridden = PolicyTestEnforcers.WithFile("context_is_admin: 'role:cloud-admin'");
        var admin = new PolicyCredentials("u", "p", new HashSet<string> { "Admin" }, IsAdmin: false);

        defaults.IsContextAdmin(admin).ShouldBeTrue();
        defaults.IsContextAdmin(Table.Personas["member-a"]).ShouldBeFalse();
        overridden.IsContextAdmin(admin).ShouldBeFalse();
    }
}
