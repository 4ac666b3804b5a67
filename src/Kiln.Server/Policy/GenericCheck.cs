using System.Globalization;

namespace Kiln.Server.Policy;

/// <summary>
/// <c>KIND:MATCH</c> for any other kind (oslo.policy's GenericCheck). MATCH, after <c>%(key)s</c>
/// substitution from the target, is compared as text with the credential field KIND
/// (<c>project_id:%(project_id)s</c>, <c>is_admin:True</c>, <c>system_scope:all</c>); for a list
/// field such as <c>roles</c>, with any element. When KIND is a Python literal (<c>'member'</c>,
/// <c>True</c>, <c>42</c>) MATCH is compared with the literal instead (<c>'member':%(role.name)s</c>).
/// MATCH is never unquoted: <c>project_id:'abc'</c> compares with the quotes, as oslo.policy does.
/// </summary>
internal sealed class GenericCheck : PolicyCheck
{
    private readonly string kind;
    private readonly MatchTemplate match;
    private readonly string? literal;
    private readonly string[] path;

    public GenericCheck(string kind, MatchTemplate match)
        : base(1)
    {
        this.kind = kind;
        this.match = match;
        literal = PythonLiteral(kind);
        path = literal is null ? kind.Split('.') : [];
    }

    public override bool Evaluate(in PolicyEvaluation evaluation)
    {
        if (!match.TryFormat(evaluation.Target, out var expected))
        {
            return false;
        }

        if (literal is not null)
        {
            return string.Equals(expected, literal, StringComparison.Ordinal);
        }

        // Kiln's creds are flat: a dotted path ("token.user.id") finds nothing (in Python it would
        // index into a string and raise); the check fails closed.
        if (path.Length != 1)
        {
            return false;
        }

        if (CredentialFields.FindList(evaluation.Credentials, kind) is { } list)
        {
            return list.Contains(expected, StringComparer.Ordinal);
        }

        return CredentialFields.TryGetScalar(evaluation.Credentials, kind, out var actual)
            && string.Equals(expected, actual, StringComparison.Ordinal);
    }

    public override string ToString() => $"{kind}:{match}";

    // ast.literal_eval's answers, as str(), for the literals a kind can sensibly be; anything else is a creds path.
    private static string? PythonLiteral(string kind)
    {
        if (kind.Length >= 2 && kind[0] is '\'' or '"' && kind[^1] == kind[0] && kind.IndexOf(kind[0], 1) == kind.Length - 1)
        {
            return kind[1..^1];
        }

        if (kind is "True" or "False" or "None")
        {
            return kind;
        }

        var digits = kind.StartsWith('-') || kind.StartsWith('+') ? kind[1..] : kind;
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit) && (digits.Length == 1 || digits[0] != '0'))
        {
            var value = System.Numerics.BigInteger.Parse(kind, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return value.ToString(CultureInfo.InvariantCulture);
        }

        return null;
    }
}
