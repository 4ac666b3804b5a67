using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Output;

namespace Kiln.Cli.Commands.Common;

/// <summary>What a client command's action works with: its parsed command line, the API, the output and the clock.</summary>
internal sealed class ClientInvocation(ParseResult parse, KilnApiClient api, CliOutput output, TimeProvider time)
{
    public KilnApiClient Api { get; } = api;

    public CliOutput Output { get; } = output;

    public TimeProvider Time { get; } = time;

    public Waiter Waiter { get; } = new(time, output);

    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    public T? Get<T>(Option<T> option) => parse.GetValue(option);
}
