using System.Text;

namespace Kiln.Server.Policy;

/// <summary>
/// The text after a check's first ':', where oslo.policy substitutes <c>%(key)s</c> from the target
/// (Python's <c>match % target</c>). Only <c>%(key)s</c> and <c>%%</c> are accepted: any other
/// conversion would raise in Python at decision time, so here it is refused when the rule is read.
/// </summary>
internal sealed class MatchTemplate
{
    // Literal pieces around the keys: pieces.Length == keys.Length + 1.
    private readonly string[] pieces;
    private readonly string[] keys;

    private MatchTemplate(string text, string[] pieces, string[] keys)
    {
        Text = text;
        this.pieces = pieces;
        this.keys = keys;
    }

    /// <summary>The text as written in the rule.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="text"/>; throws <see cref="PolicyRuleException"/> on a '%' that is not <c>%(key)s</c> or <c>%%</c>.</summary>
    public static MatchTemplate Parse(string text)
    {
        var pieces = new List<string>();
        var keys = new List<string>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                literal.Append(text[i]);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '%')
            {
                literal.Append('%');
                i++;
                continue;
            }

            var close = i + 1 < text.Length && text[i + 1] == '(' ? text.IndexOf(')', i + 2) : -1;
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != 's')
            {
                throw new PolicyRuleException($"'{text}' has a '%' that is not %(name)s or %%");
            }

            pieces.Add(literal.ToString());
            literal.Clear();
            keys.Add(text[(i + 2)..close]);
            i = close + 1;
        }

        pieces.Add(literal.ToString());
        return new MatchTemplate(text, [.. pieces], [.. keys]);
    }

    /// <summary>
    /// The text with each <c>%(key)s</c> replaced by the target's value (Python's <c>str(None)</c> for
    /// null); false when the target lacks a key, which makes the check fail as oslo.policy's KeyError does.
    /// </summary>
    public bool TryFormat(IReadOnlyDictionary<string, string?> target, out string result)
    {
        if (keys.Length == 0)
        {
            result = pieces[0];
            return true;
        }

        if (keys.Length == 1 && pieces[0].Length == 0 && pieces[1].Length == 0)
        {
            // The common shape, project_id:%(project_id)s: no string is built.
            var found = target.TryGetValue(keys[0], out var only);
            result = only ?? CredentialFields.None;
            return found;
        }

        var builder = new StringBuilder(pieces[0]);
        for (var k = 0; k < keys.Length; k++)
        {
            if (!target.TryGetValue(keys[k], out var value))
            {
                result = string.Empty;
                return false;
            }

            builder.Append(value ?? CredentialFields.None).Append(pieces[k + 1]);
        }

        result = builder.ToString();
        return true;
    }

    public override string ToString() => Text;
}
