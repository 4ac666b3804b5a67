using System.Collections.Frozen;

namespace Kiln.Server.Policy;

/// <summary>
/// The rules in force, by name (oslo.policy's Rules): a name with no rule resolves to the
/// <c>default</c> rule when one is defined (Cinder defines none; a policy file may).
/// </summary>
internal sealed class PolicyRuleSet
{
    /// <summary>The rule oslo.policy falls back to (<c>[oslo_policy] policy_default_rule</c>'s default).</summary>
    public const string DefaultRuleName = "default";

    private readonly FrozenDictionary<string, PolicyCheck> rules;
    private readonly PolicyCheck? fallback;

    public PolicyRuleSet(IReadOnlyDictionary<string, PolicyCheck> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        this.rules = rules.ToFrozenDictionary(StringComparer.Ordinal);
        fallback = this.rules.GetValueOrDefault(DefaultRuleName);
    }

    /// <summary>Every rule name defined.</summary>
    public IEnumerable<string> Names => rules.Keys;

    /// <summary>The rule named <paramref name="name"/>, or null when there is none (no fallback).</summary>
    public PolicyCheck? Find(string name) => rules.GetValueOrDefault(name);

    /// <summary>The rule named <paramref name="name"/>, else the <c>default</c> rule, else null (denied).</summary>
    public PolicyCheck? Resolve(string name) => rules.TryGetValue(name, out var rule) ? rule : fallback;
}
