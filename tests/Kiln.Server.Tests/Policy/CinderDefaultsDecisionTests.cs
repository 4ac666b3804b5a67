using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

/// <summary>
/// Every rule Cinder Zed and Kiln register, for every persona, decided as oslo.policy decides it:
/// the expected values are CinderZedDecisions.json, produced by eng/policy/oslo-decisions.py.
/// </summary>
public sealed class CinderDefaultsDecisionTests
{
    private static readonly PolicyEnforcer Legacy = PolicyEnforcerLoader.FromDefaults(enforceNewDefaults: false);
    private static readonly PolicyEnforcer NewDefaults = PolicyEnforcerLoader.FromDefaults(enforceNewDefaults: true);

    public static TheoryData<bool, string> Cases { get; } =
        new(OsloDecisions.Committed.Decisions.Select(d => (d.EnforceNewDefaults, d.Rule)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Authorize_EachRuleAndPersona_MatchesOsloPolicy(bool enforceNewDefaults, string rule)
    {
        var table = OsloDecisions.Committed;
        var expected = table.Decisions.Single(d => d.EnforceNewDefaults == enforceNewDefaults && d.Rule == rule);

        table.AllowedBy(enforceNewDefaults ? NewDefaults : Legacy, rule).ShouldBe(table.AllowedByOslo(expected));
    }

    [Fact]
    public void CommittedTable_CoversEveryRegisteredRuleUnderBothSettings()
    {
        var table = OsloDecisions.Committed;

        table.CinderVersion.ShouldBe(CinderPolicyDefaults.CinderVersion);
        foreach (var setting in new[] { false, true })
        {
            var rules = table.Decisions.Where(d => d.EnforceNewDefaults == setting).Select(d => d.Rule).ToHashSet();
            PolicyEnforcerLoader.Registered.Select(r => r.Name).Where(name => !rules.Contains(name)).ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData(CinderPolicyRules.VolumeGet, true, true, false, true, true)]
    [InlineData(CinderPolicyRules.VolumeDelete, true, true, false, true, true)]
    [InlineData(CinderPolicyRules.VolumeCreate, true, true, true, true, true)]
    [InlineData(CinderPolicyRules.VolumeResetStatus, true, false, false, false, false)]
    [InlineData(KilnPolicyRules.ServicesReinit, true, false, false, false, false)]
    public void Authorize_LegacyDefaults_LetEveryoneInTheProjectDoWhatTheDeprecatedRuleAllowed(
        string rule, bool admin, bool memberOfA, bool memberOfB, bool readerOfA, bool noRolesInA)
    {
        // Zed's enforce_new_defaults = False ORs each changed default with its deprecated one, and the
        // deprecated admin_or_owner lets anyone scoped to the volume's project in, whatever their roles.
        Decide(Legacy, rule).ShouldBe((admin, memberOfA, memberOfB, readerOfA, noRolesInA));
    }

    [Theory]
    [InlineData(CinderPolicyRules.VolumeGet, true, true, false, true, false)]
    [InlineData(CinderPolicyRules.VolumeGetAll, true, true, false, true, false)]
    [InlineData(CinderPolicyRules.VolumeDelete, true, true, false, false, false)]
    [InlineData(CinderPolicyRules.VolumeCreate, true, true, false, false, false)]
    [InlineData(CinderPolicyRules.SnapshotGet, true, true, false, true, false)]
    [InlineData(CinderPolicyRules.SnapshotDelete, true, true, false, false, false)]
    [InlineData(CinderPolicyRules.VolumeResetStatus, true, false, false, false, false)]
    [InlineData(CinderPolicyRules.VolumeHostAttribute, true, false, false, false, false)]
    [InlineData(CinderPolicyRules.TypeCreate, true, false, false, false, false)]
    [InlineData(CinderPolicyRules.TypeGetAll, true, true, false, true, false)]
    [InlineData(CinderPolicyRules.MessageGet, true, true, false, true, false)]
    [InlineData(CinderPolicyRules.MessageDelete, true, true, false, false, false)]
    public void Authorize_NewDefaults_ReaderReadsMemberWritesAdminAdministers(
        string rule, bool admin, bool memberOfA, bool memberOfB, bool readerOfA, bool noRolesInA)
    {
        Decide(NewDefaults, rule).ShouldBe((admin, memberOfA, memberOfB, readerOfA, noRolesInA));
    }

    private static (bool, bool, bool, bool, bool) Decide(PolicyEnforcer enforcer, string rule)
    {
        var table = OsloDecisions.Committed;
        bool As(string persona) => enforcer.Authorize(rule, table.Personas[persona], table.Target);
        return (As("admin"), As("member-a"), As("member-b"), As("reader-a"), As("no-roles-a"));
    }
}
