namespace Kiln.Server.Policy;

/// <summary>One node of a parsed rule (oslo.policy's Check tree), decided against credentials and a target.</summary>
internal abstract class PolicyCheck(int depth)
{
    /// <summary>How deeply the node nests: 1 for a single check; the parser refuses trees deeper than it allows.</summary>
    public int Depth { get; } = depth;

    /// <summary>The names this node refers to with <c>rule:NAME</c>, for the cycle check.</summary>
    public virtual IEnumerable<string> ReferencedRules => [];

    /// <summary>Whether the node allows the request.</summary>
    public abstract bool Evaluate(in PolicyEvaluation evaluation);

    /// <summary>The node as oslo.policy's <c>str()</c> writes it.</summary>
    public abstract override string ToString();
}
