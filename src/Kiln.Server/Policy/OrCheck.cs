namespace Kiln.Server.Policy;

/// <summary><c>A or B or …</c>: one check must allow; stops at the first that does.</summary>
internal sealed class OrCheck(IReadOnlyList<PolicyCheck> checks) : PolicyCheck(checks.Max(c => c.Depth) + 1)
{
    /// <summary>The checks, in the order written.</summary>
    public IReadOnlyList<PolicyCheck> Checks { get; } = checks;

    public override IEnumerable<string> ReferencedRules => Checks.SelectMany(c => c.ReferencedRules);

    public override bool Evaluate(in PolicyEvaluation evaluation)
    {
        foreach (var check in Checks)
        {
            if (check.Evaluate(evaluation))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => $"({string.Join(" or ", Checks)})";
}
