using Kiln.Server.Configuration;

namespace Kiln.Server.Policy;

/// <summary>
/// Combines the registered defaults with a policy file's rules as oslo.policy's
/// <c>Enforcer.load_rules</c> does: a file rule replaces the default of the same name; a default
/// whose check changed is <c>(new) or (deprecated)</c> until <c>enforce_new_defaults</c>; an
/// override of a renamed rule's old name applies to the new name. Then refuses cycles.
/// </summary>
internal static class PolicyRuleSetBuilder
{
    /// <summary>
    /// Builds the rule set; throws <see cref="KilnConfigurationException"/> naming <paramref name="source"/>
    /// and the rule when a rule cannot be parsed or rules refer to each other in a cycle.
    /// </summary>
    public static PolicyRuleSet Build(
        IReadOnlyList<PolicyDefault> registered, IReadOnlyList<PolicyFileRule> fileRules, bool enforceNewDefaults, string source, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(fileRules);
        ArgumentNullException.ThrowIfNull(warnings);

        var overrides = new Dictionary<string, PolicyCheck>(StringComparer.Ordinal);
        foreach (var rule in fileRules)
        {
            overrides[rule.Name] = Parse(rule.Name, rule.Rule, Where(source, rule.Line));
        }

        var rules = new Dictionary<string, PolicyCheck>(overrides, StringComparer.Ordinal);
        foreach (var rule in registered)
        {
            if (!rules.ContainsKey(rule.Name))
            {
                rules[rule.Name] = WithDeprecated(rule, overrides, enforceNewDefaults, warnings, source);
            }
        }

        PolicyReferenceCheck.Validate(rules, source, warnings);
        return new PolicyRuleSet(rules);
    }

    private static PolicyCheck WithDeprecated(
        PolicyDefault rule, Dictionary<string, PolicyCheck> overrides, bool enforceNewDefaults, List<string> warnings, string source)
    {
        var check = Parse(rule.Name, rule.CheckString, "the registered defaults");
        if (rule.Deprecated is not { } deprecated)
        {
            return check;
        }

        // An operator who overrode foo:bar keeps that decision when foo:bar is renamed foo:create_bar,
        // unless the override merely points at the new name (as generated samples do).
        if (!string.Equals(deprecated.Name, rule.Name, StringComparison.Ordinal) && overrides.TryGetValue(deprecated.Name, out var oldOverride)
            && !(oldOverride is RuleCheck pointer && string.Equals(pointer.Name, rule.Name, StringComparison.Ordinal)))
        {
            warnings.Add($"{source}: rule '{deprecated.Name}' is deprecated in favour of '{rule.Name}'; its override applies to '{rule.Name}' until you rename it");
            return oldOverride;
        }

        return !enforceNewDefaults && !string.Equals(deprecated.CheckString, rule.CheckString, StringComparison.Ordinal)
            ? new OrCheck([check, Parse(rule.Name, deprecated.CheckString, "the registered defaults")])
            : check;
    }

    private static PolicyCheck Parse(string name, string rule, string where)
    {
        try
        {
            return PolicyRuleParser.Parse(rule);
        }
        catch (PolicyRuleException e)
        {
            throw new KilnConfigurationException($"{where}: rule '{name}' = '{rule}' cannot be parsed: {e.Message}", e);
        }
    }

    private static string Where(string source, int? line) => line is { } number ? $"{source}:{number}" : source;
}
