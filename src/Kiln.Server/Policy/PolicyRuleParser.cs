using static Kiln.Server.Policy.PolicySymbol;

namespace Kiln.Server.Policy;

/// <summary>
/// Parses oslo.policy's rule language with its own greedy shift-reduce grammar, so precedence is
/// exactly oslo.policy's: <c>not</c> binds tightest, then <c>and</c>, then <c>or</c>; parentheses
/// group. The empty rule allows everything. Where oslo.policy would log "Failed to understand rule"
/// and deny, this throws <see cref="PolicyRuleException"/> saying what is wrong.
/// </summary>
internal static class PolicyRuleParser
{
    /// <summary>The deepest nesting of parentheses and <c>not</c> accepted; Cinder's rules use 3.</summary>
    public const int MaxDepth = 32;

    public static PolicyCheck Parse(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Length == 0)
        {
            return ConstantCheck.Always;
        }

        var stack = new List<PolicyToken>();
        foreach (var token in PolicyTokenizer.Tokenize(rule))
        {
            stack.Add(token);
            while (Reduce(stack))
            {
            }
        }

        if (stack is [{ Symbol: Check or AndExpr or OrExpr, Check: { } result }])
        {
            return result;
        }

        throw new PolicyRuleException(Explain(stack));
    }

    // oslo.policy's ParseState reducers, tried in its order; true when one applied.
    private static bool Reduce(List<PolicyToken> stack)
    {
        if (EndsWith(stack, Open, Check, Close) || EndsWith(stack, Open, AndExpr, Close) || EndsWith(stack, Open, OrExpr, Close))
        {
            return Replace(stack, 3, Expression(Check, stack[^2].Check!));
        }

        if (EndsWith(stack, Check, And, Check))
        {
            return Replace(stack, 3, Expression(AndExpr, new AndCheck([stack[^3].Check!, stack[^1].Check!])));
        }

        if (EndsWith(stack, OrExpr, And, Check))
        {
            // "A or B and C": C joins B, the last operand of the or, not the whole or.
            var or = (OrCheck)stack[^3].Check!;
            var last = or.Checks[^1];
            PolicyCheck joined = last is AndCheck and ? new AndCheck([.. and.Checks, stack[^1].Check!]) : new AndCheck([last, stack[^1].Check!]);
            return Replace(stack, 3, Expression(OrExpr, new OrCheck([.. or.Checks.Take(or.Checks.Count - 1), joined])));
        }

        if (EndsWith(stack, AndExpr, And, Check))
        {
            return Replace(stack, 3, Expression(AndExpr, new AndCheck([.. ((AndCheck)stack[^3].Check!).Checks, stack[^1].Check!])));
        }

        if (EndsWith(stack, Check, Or, Check) || EndsWith(stack, AndExpr, Or, Check))
        {
            return Replace(stack, 3, Expression(OrExpr, new OrCheck([stack[^3].Check!, stack[^1].Check!])));
        }

        if (EndsWith(stack, OrExpr, Or, Check))
        {
            return Replace(stack, 3, Expression(OrExpr, new OrCheck([.. ((OrCheck)stack[^3].Check!).Checks, stack[^1].Check!])));
        }

        if (EndsWith(stack, Not, Check))
        {
            return Replace(stack, 2, Expression(Check, new NotCheck(stack[^1].Check!)));
        }

        return false;
    }

    private static bool EndsWith(List<PolicyToken> stack, params ReadOnlySpan<PolicySymbol> symbols)
    {
        if (stack.Count < symbols.Length)
        {
            return false;
        }

        for (var i = 0; i < symbols.Length; i++)
        {
            if (stack[stack.Count - symbols.Length + i].Symbol != symbols[i])
            {
                return false;
            }
        }

        return true;
    }

    private static PolicyToken Expression(PolicySymbol symbol, PolicyCheck check) =>
        check.Depth > MaxDepth
            ? throw new PolicyRuleException($"parentheses and 'not' nest more than {MaxDepth} deep")
            : new PolicyToken(symbol, string.Empty, check);

    private static bool Replace(List<PolicyToken> stack, int count, PolicyToken reduced)
    {
        stack.RemoveRange(stack.Count - count, count);
        stack.Add(reduced);
        return true;
    }

    // What is left when the tokens do not reduce to one check, said in the operator's terms.
    private static string Explain(List<PolicyToken> stack)
    {
        if (stack.Count == 0)
        {
            return "the rule is only spaces; write \"\" to allow everyone or \"!\" to allow no one";
        }

        if (stack.FirstOrDefault(t => t.Symbol == QuotedText) is { Symbol: QuotedText } quoted)
        {
            return $"{quoted.Text} is quoted text, not a check";
        }

        var depth = 0;
        for (var i = 0; i < stack.Count; i++)
        {
            var symbol = stack[i].Symbol;
            var previous = i > 0 ? stack[i - 1].Symbol : Open;
            if (symbol is And or Or && previous is Open or And or Or or Not)
            {
                return $"'{stack[i].Text}' has no check before it";
            }

            if (symbol is Close or And or Or && previous is And or Or or Not && i > 0)
            {
                return $"'{stack[i - 1].Text}' has no check after it";
            }

            if (symbol is Close && previous is Open && i > 0)
            {
                return "'()' holds no check";
            }

            depth += symbol switch { Open => 1, Close => -1, _ => 0 };
            if (depth < 0)
            {
                return "a ')' has no '(' to open it";
            }
        }

        return stack[^1].Symbol is And or Or or Not ? $"'{stack[^1].Text}' has no check after it"
            : depth > 0 ? "a '(' is never closed"
            : "two checks follow each other with no 'and' or 'or' between them";
    }
}
