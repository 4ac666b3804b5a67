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

    // The whole requirement for Equal; the first word after the operator otherwise; null when missing.
    private readonly string? operand;

    private readonly double number;
    private readonly bool hasNumber;
    private readonly string[] alternatives;

    private ExtraSpecMatcher(string requirement)
    {
        Requirement = requirement;
        alternatives = [];
        var words = requirement.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !Operators.TryGetValue(words[0], out op))
        {
            op = ExtraSpecOperator.Equal;
            operand = requirement;
            return;
        }

        operand = words.Length > 1 ? words[1] : null;
        if (op == ExtraSpecOperator.Or)
        {
            // "<or> a <or> b": every other word is an alternative; like Cinder, the words between are
            // dropped without checking that they really are "<or>".
            alternatives = [.. words.Skip(1).Where((_, i) => i % 2 == 0)];
        }

        hasNumber = operand is not null && TryParseNumber(operand, out number);
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
        ExtraSpecOperator.Equal => ValuesEqual(value, operand!),
        ExtraSpecOperator.Or => MatchesAlternative(value),
        _ when operand is null => false,
        ExtraSpecOperator.Is => ReadBoolean(value) == ReadBoolean(operand),
        ExtraSpecOperator.In => value.Contains(operand, StringComparison.Ordinal),
        ExtraSpecOperator.StringEqual => string.Equals(value, operand, StringComparison.Ordinal),
        ExtraSpecOperator.StringNotEqual => !string.Equals(value, operand, StringComparison.Ordinal),
        ExtraSpecOperator.StringLess => string.CompareOrdinal(value, operand) < 0,
        ExtraSpecOperator.StringLessOrEqual => string.CompareOrdinal(value, operand) <= 0,
        ExtraSpecOperator.StringGreater => string.CompareOrdinal(value, operand) > 0,
        ExtraSpecOperator.StringGreaterOrEqual => string.CompareOrdinal(value, operand) >= 0,
        _ => MatchesNumber(value),
    };

    /// <summary>
    /// String equality, except that two boolean literals compare as booleans: drivers report
    /// <c>True</c> where operators type <c>true</c>.
    /// </summary>
    private static bool ValuesEqual(string value, string wanted)
    {
        if (string.Equals(value, wanted, StringComparison.Ordinal))
        {
            return true;
        }

        return IsBooleanLiteral(value, out var left) && IsBooleanLiteral(wanted, out var right) && left == right;
    }

    private static bool IsBooleanLiteral(string text, out bool value)
    {
        value = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
        return value || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>oslo's <c>bool_from_string</c>: 1, t, true, on, y, yes (any case, trimmed) are true; anything else is false.</summary>
    private static bool ReadBoolean(string text)
    {
        var trimmed = text.AsSpan().Trim();
        return trimmed.Equals("1", StringComparison.Ordinal)
            || trimmed.Equals("t", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("true", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("on", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("y", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("yes", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private bool MatchesAlternative(string value)
    {
        foreach (var alternative in alternatives)
        {
            if (ValuesEqual(value, alternative))
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
}
