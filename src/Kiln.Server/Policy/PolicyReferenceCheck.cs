using Kiln.Server.Configuration;

namespace Kiln.Server.Policy;

/// <summary>
/// Follows every <c>rule:NAME</c> reference, counting the fallback of an undefined name to the
/// <c>default</c> rule: a cycle (which would recurse forever in oslo.policy) or a chain deeper than
/// <see cref="MaxChain"/> is refused; a reference to an undefined rule is a warning, as in oslo.policy.
/// </summary>
internal static class PolicyReferenceCheck
{
    /// <summary>The longest chain of rule references accepted; Cinder's longest is 2.</summary>
    public const int MaxChain = 32;

    public static void Validate(IReadOnlyDictionary<string, PolicyCheck> rules, string source, List<string> warnings)
    {
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        var hasDefault = rules.ContainsKey(PolicyRuleSet.DefaultRuleName);
        foreach (var name in rules.Keys.Order(StringComparer.Ordinal))
        {
            Visit(name);
        }

        void Visit(string name)
        {
            if (finished.Contains(name))
            {
                return;
            }

            var index = path.IndexOf(name);
            if (index >= 0)
            {
                throw new KilnConfigurationException($"{source}: rule '{name}' refers to itself through {string.Join(" -> ", path.Skip(index).Append(name))}");
            }

            if (path.Count >= MaxChain)
            {
                throw new KilnConfigurationException($"{source}: rule '{path[0]}' leads through more than {MaxChain} rule: references");
            }

            path.Add(name);
            foreach (var reference in rules[name].ReferencedRules.Distinct(StringComparer.Ordinal))
            {
                if (rules.ContainsKey(reference))
                {
                    Visit(reference);
                    continue;
                }

                warnings.Add(hasDefault
                    ? $"{source}: rule '{name}' refers to rule '{reference}', which is not defined; the '{PolicyRuleSet.DefaultRuleName}' rule decides instead"
                    : $"{source}: rule '{name}' refers to rule '{reference}', which is not defined; that reference always denies");
                if (hasDefault)
                {
                    Visit(PolicyRuleSet.DefaultRuleName);
                }
            }

            path.RemoveAt(path.Count - 1);
            finished.Add(name);
        }
    }
}
