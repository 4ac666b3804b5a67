using System.CommandLine;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Messages;

/// <summary><c>kiln message list</c>: the user messages (3.3) asynchronous failures left for the project.</summary>
internal static class MessageCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        var list = new Command("list", "List user messages: what failed after the API answered (a volume that could not be placed or created, …), newest first.");
        list.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var messages = (await run.Api.ListMessagesAsync(cancellationToken).ConfigureAwait(false)).OrderByDescending(m => m.CreatedAt).ToList();
            run.Output.Show(messages, ms =>
            {
                var table = run.Output.NewTable("Created", "Resource", "Event", "Message");
                foreach (var m in ms)
                {
                    table.AddRow(
                        Cells.Text(Timestamps.Format(m.CreatedAt)),
                        Cells.Text($"{m.ResourceType} {m.ResourceUuid}"),
                        Cells.Text(m.EventId),
                        Cells.Text(m.UserMessage));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
        return options.Noun("message", "List the user messages of asynchronous failures (Cinder's /messages).", list);
    }
}
