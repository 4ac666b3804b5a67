using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Services;

/// <summary><c>kiln service …</c>.</summary>
internal static class ServiceCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun("service", "Services and the health of each storage backend.", ServiceListCommand.Create(options, time), ServiceShowCommand.Create(options, time));
    }
}
