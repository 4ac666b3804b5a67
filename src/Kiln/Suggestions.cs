using System.Globalization;

namespace Kiln.Cli;

/// <summary>"did you mean 'volume'?": the known words closest to a mistyped one.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The candidates nearest to <paramref name="typed"/>, quoted and joined ("'volume'", "'list' or 'show'"),
    /// or null when none is close. Close means an edit distance (transpositions count as one edit) of at
    /// most a third of the word (at least 1), or the typed word being the start of the candidate.
    /// </summary>
    public static string? For(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        var word = typed.ToLower(CultureInfo.InvariantCulture);
        var scored = candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Candidate: c, Distance: Distance(word, c.ToLower(CultureInfo.InvariantCulture))))
            .Where(s => s.Distance <= Math.Max(1, s.Candidate.Length / 3) || (word.Length >= 3 && s.Candidate.StartsWith(word, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        var best = scored.Min(s => s.Distance);
        var nearest = scored.Where(s => s.Distance == best).Select(s => $"'{s.Candidate}'").Order(StringComparer.Ordinal).ToList();
        return nearest.Count == 1 ? nearest[0] : $"{string.Join(", ", nearest[..^1])} or {nearest[^1]}";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
