using System.Globalization;

namespace Kiln.Core.Scheduling;

/// <summary>
/// One extra-spec requirement such as <c>&lt;in&gt; ssd</c> or <c>&gt;= 10</c>, parsed once per request
/// and matched against each pool's value without allocating. Follows Cinder's <c>extra_specs_ops.match</c>:
/// only the first word after an operator counts, an unparsable number never matches, and a
/// requirement whose first word is not an operator must equal the value as a whole.
/// </summary>
internal sealed class ExtraSpecMatcher
{
    private static readonly Dictionary<string, ExtraSpecOperator> Operators = new(StringComparer.Ordinal)
    {
        ["<is>"] = ExtraSpecOperator.Is,
        ["<in>"] = ExtraSpecOperator.In,
        ["<or>"] = ExtraSpecOperator.Or,
        ["="] = ExtraSpecOperator.NumericAtLeast,
        ["=="] = ExtraSpecOperator.NumericEqual,
        ["!="] = ExtraSpecOperator.NumericNotEqual,
        [">="] = ExtraSpecOperator.NumericGreaterOrEqual,
        ["<="] = ExtraSpecOperator.NumericLessOrEqual,
        ["s=="] = ExtraSpecOperator.StringEqual,
        ["s!="] = ExtraSpecOperator.StringNotEqual,
        ["s<"] = ExtraSpecOperator.StringLess,
        ["s<="] = ExtraSpecOperator.StringLessOrEqual,
        ["s>"] = ExtraSpecOperator.StringGreater,
        ["s>="] = ExtraSpecOperator.StringGreaterOrEqual,
    };

    private readonly ExtraSpecOperator op;

    // The first word after the operator; null when there is none, or for Equal and Or.
    private readonly string? operand;

    // What Equal and Or compare with: the whole requirement, or each alternative.
    private readonly Alternative[] alternatives = [];

    private readonly double number;
    private readonly bool hasNumber;
    private readonly bool operandTruth;

    private ExtraSpecMatcher(string requirement)
    {
        Requirement = requirement;
        var words = requirement.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !Operators.TryGetValue(words[0], out op))
        {
            op = ExtraSpecOperator.Equal;
            alternatives = [new Alternative(requirement)];
            return;
        }

        if (op == ExtraSpecOperator.Or)
        {
            // "<or> a <or> b": every other word is an alternative; like Cinder, the words between are
            // dropped without checking that they really are "<or>".
            alternatives = [.. words.Skip(1).Where((_, i) => i % 2 == 0).Select(word => new Alternative(word))];
            return;
        }

        operand = words.Length > 1 ? words[1] : null;
        hasNumber = operand is not null && TryParseNumber(operand, out number);
        operandTruth = operand is not null && ReadBoolean(operand);
    }

    /// <summary>The requirement as the volume type states it.</summary>
    public string Requirement { get; }

    public static ExtraSpecMatcher Parse(string requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        return new ExtraSpecMatcher(requirement);
    }

    public bool Matches(string value) => op switch
    {
        ExtraSpecOperator.Equal or ExtraSpecOperator.Or => MatchesAlternative(value),
        _ when operand is null => false,
        ExtraSpecOperator.Is => ReadBoolean(value) == operandTruth,
        ExtraSpecOperator.In => value.Contains(operand, StringComparison.Ordinal),
        ExtraSpecOperator.StringEqual => string.Equals(value, operand, StringComparison.Ordinal),
        ExtraSpecOperator.StringNotEqual => !string.Equals(value, operand, StringComparison.Ordinal),
        ExtraSpecOperator.StringLess => string.CompareOrdinal(value, operand) < 0,
        ExtraSpecOperator.StringLessOrEqual => string.CompareOrdinal(value, operand) <= 0,
        ExtraSpecOperator.StringGreater => string.CompareOrdinal(value, operand) > 0,
        ExtraSpecOperator.StringGreaterOrEqual => string.CompareOrdinal(value, operand) >= 0,
        _ => MatchesNumber(value),
    };

    /// <summary>A boolean literal (true or false, any case), or null for any other text.</summary>
    private static bool? AsBooleanLiteral(string text) =>
        string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    /// <summary>oslo's <c>bool_from_string</c>: 1, t, true, on, y, yes (any case, trimmed) are true; anything else is false.</summary>
    private static bool ReadBoolean(string text)
    {
        // By length, so that each pool costs at most one comparison.
        var trimmed = text.AsSpan().Trim();
        return trimmed.Length switch
        {
            1 => trimmed[0] is '1' or 't' or 'T' or 'y' or 'Y',
            2 => trimmed.Equals("on", StringComparison.OrdinalIgnoreCase),
            3 => trimmed.Equals("yes", StringComparison.OrdinalIgnoreCase),
            4 => trimmed.Equals("true", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// String equality, except that two boolean literals compare as booleans: drivers report
    /// <c>True</c> where operators type <c>true</c>.
    /// </summary>
    private bool MatchesAlternative(string value)
    {
        foreach (var alternative in alternatives)
        {
            if (string.Equals(value, alternative.Text, StringComparison.Ordinal)
                || (alternative.Boolean is { } wanted && AsBooleanLiteral(value) == wanted))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesNumber(string value)
    {
        if (!hasNumber || !TryParseNumber(value, out var actual))
        {
            return false;
        }

        return op switch
        {
            ExtraSpecOperator.NumericAtLeast or ExtraSpecOperator.NumericGreaterOrEqual => actual >= number,
            ExtraSpecOperator.NumericEqual => actual == number,
            ExtraSpecOperator.NumericNotEqual => actual != number,
            ExtraSpecOperator.NumericLessOrEqual => actual <= number,
            _ => throw new InvalidOperationException($"Operator {op} is not numeric."),
        };
    }

    /// <summary>A value Equal or Or accepts, with its boolean reading worked out once.</summary>
    private readonly record struct Alternative(string Text)
    {
        public bool? Boolean { get; } = AsBooleanLiteral(Text);
    }
}
