using Kiln.Server.Configuration;

namespace Kiln.Server.Policy;

/// <summary>
/// Builds a <see cref="PolicyEnforcer"/> from Cinder Zed's defaults and Kiln's own rules, overridden
/// by a policy file when there is one. Every failure is a <see cref="KilnConfigurationException"/>
/// with one line naming the file (and rule): call it at start-up.
/// </summary>
internal static class PolicyEnforcerLoader
{
    private const string DefaultsSource = "the policy defaults";

    /// <summary>Every registered rule: Cinder's, then Kiln's.</summary>
    public static IReadOnlyList<PolicyDefault> Registered { get; } = [.. CinderPolicyDefaults.All, .. KilnPolicyDefaults.All];

    /// <summary>The defaults alone, as when no policy file exists.</summary>
    public static PolicyEnforcer FromDefaults(bool enforceNewDefaults = false, bool enforceScope = false) =>
        Build(Registered, [], DefaultsSource, policyFile: null, enforceNewDefaults, enforceScope);

    /// <summary>
    /// The defaults overridden by <see cref="PolicyOptions.PolicyFile"/> when it exists. A missing file
    /// is fine unless <c>policy_file</c> was set (<see cref="PolicyOptions.PolicyFileRequired"/>).
    /// </summary>
    public static PolicyEnforcer Load(PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(options.PolicyFile))
        {
            throw new KilnConfigurationException($"{Blame(options)}{options.PolicyFile}: is a directory, not a policy file");
        }

        if (!File.Exists(options.PolicyFile))
        {
            return options.PolicyFileRequired
                ? throw new KilnConfigurationException($"{Blame(options)}policy file {options.PolicyFile} does not exist")
                : FromDefaults(options.EnforceNewDefaults, options.EnforceScope);
        }

        string text;
        try
        {
            text = File.ReadAllText(options.PolicyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KilnConfigurationException($"{options.PolicyFile}: cannot read the policy file: {e.Message}", e);
        }

        return FromText(text, options.PolicyFile, options.EnforceNewDefaults, options.EnforceScope);
    }

    /// <summary>The defaults overridden by the policy file text <paramref name="text"/>, named <paramref name="source"/> in errors.</summary>
    public static PolicyEnforcer FromText(string text, string source, bool enforceNewDefaults = false, bool enforceScope = false) =>
        Build(Registered, PolicyFileReader.Parse(text, source), source, source, enforceNewDefaults, enforceScope);

    /// <summary>An enforcer over <paramref name="registered"/> rather than Cinder's and Kiln's rules.</summary>
    internal static PolicyEnforcer Build(
        IReadOnlyList<PolicyDefault> registered, IReadOnlyList<PolicyFileRule> fileRules, string source, string? policyFile, bool enforceNewDefaults, bool enforceScope)
    {
        var warnings = new List<string>();
        var rules = PolicyRuleSetBuilder.Build(registered, fileRules, enforceNewDefaults, source, warnings);
        return new PolicyEnforcer(rules, registered, enforceScope, policyFile, warnings);
    }

    private static string Blame(PolicyOptions options) =>
        options.Origin is { } origin ? $"{origin}: [{PolicyOptions.Section}] {PolicyOptions.PolicyFileOption}: " : string.Empty;
}
