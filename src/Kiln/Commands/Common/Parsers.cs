using System.CommandLine.Parsing;
using System.Globalization;

namespace Kiln.Cli.Commands.Common;

/// <summary>
/// Parsers for numbers on the command line that say what is wanted; a bad value is a usage error
/// (exit code 2) with a message naming the option.
/// </summary>
internal static class Parsers
{
    /// <summary>A size in whole GB, at least 1.</summary>
    public static Func<ArgumentResult, int> Gigabytes(string name) => result =>
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var gb) && gb >= 1)
        {
            return gb;
        }

        result.AddError($"{name} '{text}' is not a size: give a whole number of GB, at least 1");
        return 0;
    };

    /// <summary>Seconds greater than 0 and at most a day; fractions allowed.</summary>
    public static Func<ArgumentResult, double> Seconds(string name) => result =>
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && seconds > 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds)
        {
            return seconds;
        }

        result.AddError($"{name} '{text}' is not a number of seconds greater than 0 (at most 86400)");
        return 0;
    };
}
