using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli;

/// <summary>
/// A command line that does not parse: one line on stderr naming the problem and where to read more,
/// and exit code 2 (System.CommandLine's own handler would print the whole help and exit 1).
/// </summary>
internal static class UsageError
{
    public static Task<int> ReportAsync(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = string.Join(' ', Path(parse.CommandResult.Command).Reverse());
        var problems = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct(StringComparer.Ordinal));
        return CommandRunner.FailAsync(ExitCodes.Usage, $"{problems} (see '{command} --help')");
    }

    private static IEnumerable<string> Path(Command command)
    {
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return current is RootCommand ? "kiln" : current.Name;
        }
    }
}
