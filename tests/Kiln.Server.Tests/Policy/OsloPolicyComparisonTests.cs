using System.Diagnostics;
using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

/// <summary>
/// Asks oslo.policy itself (eng/policy/oslo-decisions.py, with Debian's python3-cinder) and compares
/// every decision with Kiln's: on the defaults, which also proves the committed table current, and on
/// a policy file that exercises overrides. Skipped, saying why, where python3-cinder is not installed.
/// </summary>
public sealed class OsloPolicyComparisonTests
{
    private const string Python = "/usr/bin/python3";

    private const string Overrides =
        """
        "volume:delete": "rule:admin_api"
        "volume:get": "role:reader and project_id:%(project_id)s"
        "volume_extension:types_manage": "role:member"
        "volume_extension:quota_classes": "rule:volume_extension:quota_classes:get"
        "default": "role:member"
        "kiln:custom": "rule:not_defined"
        "kiln:auditor": "role:auditor or 'project-a':%(project_id)s"
        "volume:get_all": "rule:kiln:auditor or rule:admin_api"
        "message:get": ""
        "message:get_all":
        "message:delete": "!"
        "volume:create": "not role:reader or is_admin:True"
        "volume:update": "(role:member or role:reader) and not (user_id:%(user_id)s or project_id:project-b)"
        "volume:extend": "project_id:%(project_id)s and ROLE:Member or system_scope:all AND role:ADMIN"
        "admin_api": "is_admin:True and system:all"
        "volume_extension:services:reinit": "role:admin and project_domain_id:default"
        """;

    [Fact]
    public async Task Defaults_OsloPolicyLive_AgreesWithKilnAndTheCommittedTable()
    {
        var live = await RunAsync();

        AssertAgrees(live, policyText: null);
        live.Decisions.Select(d => (d.EnforceNewDefaults, d.Rule, string.Join(',', live.AllowedByOslo(d))))
            .ShouldBe(OsloDecisions.Committed.Decisions.Select(d => (d.EnforceNewDefaults, d.Rule, string.Join(',', OsloDecisions.Committed.AllowedByOslo(d)))),
                "CinderZedDecisions.json is stale: regenerate it with eng/policy/oslo-decisions.py");
    }

    [Fact]
    public async Task PolicyFile_OsloPolicyLive_AgreesWithKiln()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("kiln-policy-").FullName, "policy.yaml");
        File.WriteAllText(file, Overrides);
        try
        {
            AssertAgrees(await RunAsync("--policy-file", file), Overrides);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static void AssertAgrees(OsloDecisions live, string? policyText)
    {
        var enforcers = new[] { false, true }.ToDictionary(
            setting => setting,
            setting => policyText is null
                ? PolicyEnforcerLoader.FromDefaults(setting)
                : PolicyTestEnforcers.WithFile(policyText, setting));

        live.Decisions.Count.ShouldBeGreaterThan(2 * CinderPolicyDefaults.All.Count);
        foreach (var decision in live.Decisions)
        {
            live.AllowedBy(enforcers[decision.EnforceNewDefaults], decision.Rule)
                .ShouldBe(live.AllowedByOslo(decision), $"{decision.Rule} with enforce_new_defaults={decision.EnforceNewDefaults}");
        }
    }

    private static async Task<OsloDecisions> RunAsync(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "policy", "oslo-decisions.py");
        var probe = await ExecuteAsync(["-c", "import cinder.policies, oslo_policy"]);
        if (probe is null || probe.Value.ExitCode != 0)
        {
            Assert.Skip($"Debian's python3-cinder is not installed ({Python} cannot import cinder.policies): apt-get install python3-cinder to compare with oslo.policy live");
        }

        var (exitCode, output, error) = (await ExecuteAsync([script, .. arguments]))!.Value;
        exitCode.ShouldBe(0, error);
        return OsloDecisions.Parse(output);
    }

    private static async Task<(int ExitCode, string Output, string Error)?> ExecuteAsync(string[] arguments)
    {
        if (!File.Exists(Python))
        {
            return null;
        }

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kiln.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Kiln.slnx above {AppContext.BaseDirectory}");
    }
}
