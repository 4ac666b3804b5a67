namespace Kiln.Server.Policy;

/// <summary>What a token or a reduced piece of a rule is, in oslo.policy's shift-reduce grammar.</summary>
internal enum PolicySymbol
{
    Open,
    Close,
    And,
    Or,
    Not,
    Check,
    AndExpr,
    OrExpr,
    QuotedText,
}

/// <summary>One token of a rule, or a piece the parser has reduced; <see cref="Check"/> is set for checks and expressions.</summary>
internal readonly record struct PolicyToken(PolicySymbol Symbol, string Text, PolicyCheck? Check = null);
