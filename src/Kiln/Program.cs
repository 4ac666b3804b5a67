using System.CommandLine;
using Kiln.Cli;

// ProcessTerminationTimeout = null: the ASP.NET Core host handles SIGTERM/SIGINT and stops gracefully.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await KilnCommand.Create().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
