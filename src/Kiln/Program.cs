using System.CommandLine;
using Kiln.Cli;

// ProcessTerminationTimeout = null: the ASP.NET Core host handles SIGTERM/SIGINT and stops gracefully.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
var parse = KilnCommand.Create(TimeProvider.System).Parse(args);
if (parse.Errors.Count > 0)
{
    return await UsageError.ReportAsync(parse).ConfigureAwait(false);
}

return await parse.InvokeAsync(invocation).ConfigureAwait(false);
