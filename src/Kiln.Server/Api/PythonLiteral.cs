using System.Globalization;
using System.Text;

namespace Kiln.Server.Api;

/// <summary>
/// The part of Python's <c>ast.literal_eval</c> that Cinder's <c>metadata</c> list filter relies on: a
/// dictionary of scalars, as Python clients write it (<c>{'Type': 'work'}</c>, which is what Tempest and
/// python-cinderclient send) or as JSON (<c>{"Type": "work"}</c>). Scalars become the text Cinder would
/// compare with the stored value (<c>1</c>, <c>True</c>).
/// </summary>
internal static class PythonLiteral
{
    /// <summary>The pairs of <paramref name="text"/>, or null when it is not such a dictionary (Cinder then lists nothing).</summary>
    public static Dictionary<string, string>? TryParseDictionary(string text)
    {
        var reader = new Reader(text);
        return reader.Dictionary() is { } result && reader.AtEnd() ? result : null;
    }

    private sealed class Reader(string text)
    {
        private int position;

        public bool AtEnd()
        {
            SkipSpace();
            return position == text.Length;
        }

        public Dictionary<string, string>? Dictionary()
        {
            if (!Take('{'))
            {
                return null;
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Take('}'))
            {
                return result;
            }

            while (true)
            {
                if (Scalar() is not { } key || !Take(':') || Scalar() is not { } value)
                {
                    return null;
                }

                result[key] = value;
                if (Take('}'))
                {
                    return result;
                }

                if (!Take(','))
                {
                    return null;
                }

                if (Take('}'))
                {
                    return result;
                }
            }
        }

        private string? Scalar()
        {
            SkipSpace();
            if (position == text.Length)
            {
                return null;
            }

            var c = text[position];
            if (c is '\'' or '"')
            {
                return Quoted(c);
            }

            var start = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '.' or '-' or '+' or '_'))
            {
                position++;
            }

            var word = text[start..position];
            return word switch
            {
                "True" or "False" => word,
                _ when long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => integer.ToString(CultureInfo.InvariantCulture),
                _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => real.ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        private string? Quoted(char quote)
        {
            position++;
            var value = new StringBuilder();
            while (position < text.Length)
            {
                var c = text[position++];
                if (c == quote)
                {
                    return value.ToString();
                }

                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                if (position == text.Length)
                {
                    return null;
                }

                var escaped = text[position++];
                value.Append(escaped switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    _ => escaped,
                });
            }

            return null;
        }

        private bool Take(char expected)
        {
            SkipSpace();
            if (position < text.Length && text[position] == expected)
            {
                position++;
                return true;
            }

            return false;
        }

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }
    }
}
