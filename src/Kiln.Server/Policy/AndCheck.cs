namespace Kiln.Server.Policy;

/// <summary><c>A and B and …</c>: every check must allow; stops at the first that does not.</summary>
internal sealed class AndCheck(IReadOnlyList<PolicyCheck> checks) : PolicyCheck(checks.Max(c => c.Depth) + 1)
{
    /// <summary>The checks, in the order written.</summary>
    public IReadOnlyList<PolicyCheck> Checks { get; } = checks;

    public override IEnumerable<string> ReferencedRules => Checks.SelectMany(c => c.ReferencedRules);

    public override bool Evaluate(in PolicyEvaluation evaluation)
    {
        foreach (var check in Checks)
        {
            if (!check.Evaluate(evaluation))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"({string.Join(" and ", Checks)})";
}
