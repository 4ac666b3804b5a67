namespace Kiln.Server.Policy;

/// <summary><c>@</c> (and the empty rule): always allowed; <c>!</c>: never.</summary>
internal sealed class ConstantCheck : PolicyCheck
{
    private readonly bool allowed;

    private ConstantCheck(bool allowed)
        : base(1) => this.allowed = allowed;

    /// <summary><c>@</c>.</summary>
    public static ConstantCheck Always { get; } = new(allowed: true);

    /// <summary><c>!</c>.</summary>
    public static ConstantCheck Never { get; } = new(allowed: false);

    public override bool Evaluate(in PolicyEvaluation evaluation) => allowed;

    public override string ToString() => allowed ? "@" : "!";
}
