using System.CommandLine;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Commands.Pools;

/// <summary><c>kiln pool …</c>.</summary>
internal static class PoolCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun("pool", "Storage pools and their capacity.", PoolListCommand.Create(options, time));
    }
}
