using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>The real <c>kiln</c> client, given a user's OS_* variables as an operator's openrc gives them.</summary>
internal static class KilnCli
{
    public static Task<CommandResult> RunAsync(KeystoneUser user, params string[] arguments) =>
        ExternalCommand.RunAsync("dotnet", [KilnProcess.KilnDll, .. arguments], user.OpenRc);

    /// <summary>Exit 0, nothing on stderr, and stdout is one JSON document.</summary>
    public static JsonElement ShouldSucceedWithJson(this CommandResult result)
    {
        result.ShouldSucceed();
        result.Stderr.ShouldBeEmpty(result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>The exit code, and the one line kiln prints on stderr for a failure (without its <c>kiln: </c>).</summary>
    public static string ShouldFailWithOneLine(this CommandResult result, int exitCode)
    {
        result.ExitCode.ShouldBe(exitCode, result.ToString());
        var line = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem(result.ToString());
        line.ShouldStartWith("kiln: ");
        return line["kiln: ".Length..];
    }
}
