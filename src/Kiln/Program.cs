using System.CommandLine;
using Kiln.Cli;

var parse = KilnCommand.Create(TimeProvider.System).Parse(args);
if (parse.Errors.Count > 0)
{
    return await UsageError.ReportAsync(parse).ConfigureAwait(false);
}

// serve: the ASP.NET Core host handles SIGTERM/SIGINT and stops gracefully. Client commands get their
// cancellation token cancelled instead, so an interrupted --wait restores the terminal and exits 130.
var invocation = parse.CommandResult.Command.Name == ServeCommand.Name
    ? new InvocationConfiguration { ProcessTerminationTimeout = null }
    : new InvocationConfiguration();
return await parse.InvokeAsync(invocation).ConfigureAwait(false);
