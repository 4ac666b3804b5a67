using System.CommandLine;
using Kiln.Cli.Output;

namespace Kiln.Cli.Commands.Common;

/// <summary><c>--output table|json</c> (<c>-o</c>).</summary>
internal static class OutputOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: table (for people) or json (stable, for scripts; see docs/cli.md).",
            DefaultValueFactory = _ => "table",
            Recursive = true,
            HelpName = "table|json",
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    public static OutputFormat Read(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) == "json" ? OutputFormat.Json : OutputFormat.Table;
}
