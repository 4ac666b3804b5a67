namespace Kiln.Core.Scheduling;

/// <summary>The operators of an extra-spec requirement (Cinder's <c>extra_specs_ops</c>).</summary>
internal enum ExtraSpecOperator
{
    /// <summary>No operator: the whole requirement must equal the value.</summary>
    Equal,

    /// <summary><c>&lt;is&gt;</c>: both sides read as booleans and agree.</summary>
    Is,

    /// <summary><c>&lt;in&gt;</c>: the operand is a substring of the value.</summary>
    In,

    /// <summary><c>&lt;or&gt; a &lt;or&gt; b</c>: the value equals one of the alternatives.</summary>
    Or,

    /// <summary><c>=</c>: numerically at least (not equality: Cinder's meaning, kept for compatibility).</summary>
    NumericAtLeast,

    /// <summary><c>==</c>.</summary>
    NumericEqual,

    /// <summary><c>!=</c>.</summary>
    NumericNotEqual,

    /// <summary><c>&gt;=</c>.</summary>
    NumericGreaterOrEqual,

    /// <summary><c>&lt;=</c>.</summary>
    NumericLessOrEqual,

    /// <summary><c>s==</c>.</summary>
    StringEqual,

    /// <summary><c>s!=</c>.</summary>
    StringNotEqual,

    /// <summary><c>s&lt;</c>.</summary>
    StringLess,

    /// <summary><c>s&lt;=</c>.</summary>
    StringLessOrEqual,

    /// <summary><c>s&gt;</c>.</summary>
    StringGreater,

    /// <summary><c>s&gt;=</c>.</summary>
    StringGreaterOrEqual,
}
