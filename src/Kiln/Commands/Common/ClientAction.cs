using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Output;

namespace Kiln.Cli.Commands.Common;

/// <summary>Wires a client command: resolves the endpoint, creates the API client, maps failures to exit codes.</summary>
internal static class ClientAction
{
    public static Command WithClientAction(
        this Command command, ClientOptions options, TimeProvider time, Func<ClientInvocation, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(options);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var endpoint = Endpoint.Resolve(parse.GetValue(options.Url), parse.GetValue(options.Project), Environment.GetEnvironmentVariable);
            using var api = new KilnApiClient(endpoint.Url, endpoint.Project);
            var output = CliOutput.ForConsole(OutputOption.Read(parse, options.Output));
            try
            {
                return await action(new ClientInvocation(parse, api, output, time), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new CliException(ExitCodes.Unreachable, $"cannot reach Kiln at {endpoint.Url}: {ex.Message}");
            }
        }));
        return command;
    }
}
