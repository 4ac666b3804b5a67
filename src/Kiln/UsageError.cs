using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli;

/// <summary>
/// A command line that does not parse: one line on stderr naming the problem and where to read more,
/// and exit code 2 (System.CommandLine's own handler would print the whole help and exit 1). A bare
/// command group (<c>kiln</c>, <c>kiln volume</c>) is not an error: it prints its help and exits 0.
/// </summary>
internal static class UsageError
{
    public static Task<int> ReportAsync(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        if (IsBareGroup(parse))
        {
            // What the user asked for is a list of what the group can do.
            return parse.RootCommandResult.Command.Parse([.. parse.Tokens.Select(t => t.Value), "--help"]).InvokeAsync();
        }

        var name = string.Join(' ', Path(command).Reverse());
        if (parse.UnmatchedTokens.Count > 0)
        {
            // Everything after an unknown word is unknown too ('kiln volum list': 'list', and no command):
            // the first unknown word is the one problem to report.
            var unknown = parse.UnmatchedTokens[0];
            var isOption = unknown.StartsWith('-');
            var suggestion = Suggestions.For(unknown, isOption ? OptionNames(command) : SubcommandNames(command));
            var what = isOption ? $"'{unknown}' is not an option of '{name}'"
                : command.Subcommands.Count > 0 ? $"'{unknown}' is not a command of '{name}'"
                : $"unexpected argument '{unknown}'";
            var hint = suggestion is null ? string.Empty : $"; did you mean {suggestion}?";
            return CommandRunner.FailAsync(ExitCodes.Usage, $"{what}{hint} (see '{name} --help')");
        }

        var problems = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct(StringComparer.Ordinal));
        return CommandRunner.FailAsync(ExitCodes.Usage, $"{problems} (see '{name} --help')");
    }

    /// <summary>A command that only groups others (no action of its own), given without one of them and nothing else wrong.</summary>
    private static bool IsBareGroup(ParseResult parse) =>
        parse.UnmatchedTokens.Count == 0
        && parse.Errors.Count == 1
        && parse.CommandResult.Command is { Action: null, Subcommands.Count: > 0 };

    private static IEnumerable<string> SubcommandNames(Command command) =>
        command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));

    private static IEnumerable<string> OptionNames(Command command)
    {
        // Recursive options of the parents (--url, --project, --output) apply here too.
        var options = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)));
        return options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
    }

    private static IEnumerable<string> Path(Command command)
    {
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return current is RootCommand ? "kiln" : current.Name;
        }
    }
}
