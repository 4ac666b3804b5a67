using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Kiln.Server.Api;

namespace Kiln.Cli.Commands.Version;

/// <summary><c>kiln version</c>: this build's version and the API microversions it speaks (as a client) and serves.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var output = OutputOption.Create();
        var command = new Command("version", "Show kiln's version and the API microversions it speaks.") { output };
        command.SetAction((parse, _) => CommandRunner.RunAsync(() =>
        {
            var version = new VersionRecord(CliVersion.Informational, KilnApiClient.Microversion, ApiVersion.Min.ToString(), ApiVersion.Max.ToString());
            var cli = CliOutput.ForConsole(OutputOption.Read(parse, output));
            if (cli.IsJson)
            {
                cli.WriteJson(version);
            }
            else
            {
                cli.Line($"kiln {version.Version}");
                cli.Line($"API: OpenStack Block Storage (Cinder) v3; the client sends microversion {version.ApiVersion}; kiln serve answers {version.ServerMinApiVersion} to {version.ServerMaxApiVersion}");
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}

/// <summary>What <c>kiln version --output json</c> prints.</summary>
internal sealed record VersionRecord(string Version, string ApiVersion, string ServerMinApiVersion, string ServerMaxApiVersion);
