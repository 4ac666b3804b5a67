namespace Kiln.Server.Policy;

/// <summary><c>not CHECK</c>.</summary>
internal sealed class NotCheck(PolicyCheck inner) : PolicyCheck(inner.Depth + 1)
{
    public override IEnumerable<string> ReferencedRules => inner.ReferencedRules;

    public override bool Evaluate(in PolicyEvaluation evaluation) => !inner.Evaluate(evaluation);

    public override string ToString() => $"not {inner}";
}
