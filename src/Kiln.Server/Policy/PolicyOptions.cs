namespace Kiln.Server.Policy;

/// <summary>
/// The <c>[oslo_policy]</c> options, with oslo.policy's names and Cinder Zed's defaults.
/// <paramref name="PolicyFile"/> is a full path (<c>policy_file</c>, default policy.yaml beside
/// kiln.conf); <paramref name="PolicyFileRequired"/> is true when <c>policy_file</c> was set, so a
/// missing file is an error rather than "no overrides"; <paramref name="Origin"/> says where it was set.
/// </summary>
internal sealed record PolicyOptions(
    string PolicyFile,
    bool PolicyFileRequired = false,
    bool EnforceNewDefaults = false,
    bool EnforceScope = false,
    string? Origin = null)
{
    public const string Section = "oslo_policy";
    public const string PolicyFileOption = "policy_file";
    public const string EnforceNewDefaultsOption = "enforce_new_defaults";
    public const string EnforceScopeOption = "enforce_scope";

    /// <summary>policy_file's default, resolved against the directory of kiln.conf.</summary>
    public const string DefaultPolicyFile = "policy.yaml";

    /// <summary>The options Kiln reads from <c>[oslo_policy]</c>.</summary>
    public static IReadOnlySet<string> KnownOptions { get; } =
        new HashSet<string>([PolicyFileOption, EnforceNewDefaultsOption, EnforceScopeOption], StringComparer.OrdinalIgnoreCase);
}
