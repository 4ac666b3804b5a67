namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>Debian's openstackclient (6.0), run by Debian's python: the pyenv python3 on PATH cannot import its modules.</summary>
internal static class OpenStackCli
{
    private const string Python = "/usr/bin/python3";
    private const string Program = "/usr/bin/openstack";

    /// <summary>One command, as <paramref name="user"/> (its OS_* variables).</summary>
    public static Task<CommandResult> RunAsync(KeystoneUser user, params string[] arguments) =>
        ExternalCommand.RunAsync(Python, [Program, .. arguments], user.OpenRc);

    /// <summary>
    /// Several commands in one interactive session, fed on stdin: one Python start-up (~2 s) and one
    /// token instead of one each. The session goes on after a failed command, so callers check the output.
    /// </summary>
    public static Task<CommandResult> RunSessionAsync(KeystoneUser user, IEnumerable<string> commands) =>
        ExternalCommand.RunAsync(Python, [Program], user.OpenRc, standardInput: string.Join('\n', commands) + '\n', timeout: TimeSpan.FromMinutes(2));
}
