namespace Kiln.Server.Policy;

/// <summary>
/// <c>rule:NAME</c>: decides as the named rule does. A name with no rule falls back to the
/// <c>default</c> rule when there is one and is denied otherwise, as oslo.policy's Rules mapping does.
/// </summary>
internal sealed class RuleCheck(string name) : PolicyCheck(1)
{
    /// <summary>The rule referred to.</summary>
    public string Name { get; } = name;

    public override IEnumerable<string> ReferencedRules => [Name];

    // Loops cannot happen here: PolicyRuleSet refuses a cycle (fallbacks to "default" included) when it is built.
    public override bool Evaluate(in PolicyEvaluation evaluation) =>
        evaluation.Rules.Resolve(Name) is { } rule && rule.Evaluate(evaluation);

    public override string ToString() => $"rule:{Name}";
}
