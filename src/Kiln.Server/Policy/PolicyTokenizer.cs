namespace Kiln.Server.Policy;

/// <summary>
/// Splits a rule into tokens as oslo.policy's <c>_parse_tokenize</c> does: on whitespace, then
/// leading '(' and trailing ')' peeled off each word (a ')' inside <c>%(key)s</c> stays), then
/// <c>and</c>/<c>or</c>/<c>not</c> in any case, quoted text, or a check.
/// </summary>
internal static class PolicyTokenizer
{
    public static IEnumerable<PolicyToken> Tokenize(string rule)
    {
        foreach (var word in rule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var opening = word.Length - word.TrimStart('(').Length;
            for (var i = 0; i < opening; i++)
            {
                yield return new PolicyToken(PolicySymbol.Open, "(");
            }

            var token = word[opening..];
            if (token.Length == 0)
            {
                continue;
            }

            var clean = token.TrimEnd(')');
            var closing = token.Length - clean.Length;
            if (clean.Length > 0)
            {
                yield return Classify(token, clean);
            }

            for (var i = 0; i < closing; i++)
            {
                yield return new PolicyToken(PolicySymbol.Close, ")");
            }
        }
    }

    private static PolicyToken Classify(string token, string clean)
    {
        switch (clean.ToUpperInvariant())
        {
            case "AND": return new PolicyToken(PolicySymbol.And, clean);
            case "OR": return new PolicyToken(PolicySymbol.Or, clean);
            case "NOT": return new PolicyToken(PolicySymbol.Not, clean);
        }

        // oslo.policy tests the word before its ')' are peeled, so "'a')" is a check, not quoted text.
        if (token.Length >= 2 && token[0] is '\'' or '"' && token[^1] == token[0])
        {
            return new PolicyToken(PolicySymbol.QuotedText, token);
        }

        return new PolicyToken(PolicySymbol.Check, clean, ParseCheck(clean));
    }

    /// <summary>One check: <c>@</c>, <c>!</c>, or <c>KIND:MATCH</c> split at the first ':' (oslo.policy's <c>_parse_check</c>).</summary>
    private static PolicyCheck ParseCheck(string text)
    {
        switch (text)
        {
            case "@": return ConstantCheck.Always;
            case "!": return ConstantCheck.Never;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new PolicyRuleException($"'{text}' is not a check: expected KIND:MATCH (rule:NAME, role:NAME, field:value), @ or !");
        }

        var kind = text[..colon];
        var match = text[(colon + 1)..];
        return kind switch
        {
            "" => throw new PolicyRuleException($"'{text}' has nothing before its ':'"),
            "rule" => new RuleCheck(match),
            "role" => new RoleCheck(MatchTemplate.Parse(match)),
            "http" or "https" => throw new PolicyRuleException($"'{text}': {kind} checks (asking a remote server) are not supported"),
            _ => new GenericCheck(kind, MatchTemplate.Parse(match)),
        };
    }
}
