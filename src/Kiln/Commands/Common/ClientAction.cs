using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Output;

namespace Kiln.Cli.Commands.Common;

/// <summary>Wires a client command: authenticates and resolves the endpoint, creates the API client, maps failures to exit codes.</summary>
internal static class ClientAction
{
    public static Command WithClientAction(
        this Command command, ClientOptions options, TimeProvider time, Func<ClientInvocation, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(options);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var target = await KilnTarget.ResolveAsync(
                parse.GetValue(options.Url), parse.GetValue(options.Project), Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
            using var api = new KilnApiClient(target.BaseAddress, target.Token);
            var output = CliOutput.ForConsole(OutputOption.Read(parse, options.Output));
            try
            {
                return await action(new ClientInvocation(parse, api, output, time), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new CliException(ExitCodes.Unreachable, $"cannot reach Kiln at {target.Server}: {ex.Message}");
            }
            catch (KilnApiException ex) when (AccessDenied.Applies(ex))
            {
                throw AccessDenied.From(ex, target);
            }
        }));
        return command;
    }
}
