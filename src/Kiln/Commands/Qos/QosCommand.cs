using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Qos;

/// <summary><c>kiln qos …</c>.</summary>
internal static class QosCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun(
            "qos",
            "Create, list and show QoS specs (administrators).",
            QosCreateCommand.Create(options, time),
            QosListCommand.Create(options, time),
            QosShowCommand.Create(options, time));
    }
}
