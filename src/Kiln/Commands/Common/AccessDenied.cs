using System.Net;
using System.Text.RegularExpressions;
using Kiln.Cli.Client;
using Kiln.Cli.Identity;

namespace Kiln.Cli.Commands.Common;

/// <summary>Kiln answered 401 or 403: a message that says which, and what to do (exit code 8).</summary>
internal static partial class AccessDenied
{
    public static bool Applies(KilnApiException ex) =>
        ex?.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    public static CliException From(KilnApiException ex, KilnTarget target)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(target);
        if (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            return new CliException(ExitCodes.NotAuthorized, $"not allowed by policy: {ex.Message}");
        }

        if (target.Token is null)
        {
            var keystone = KeystoneUri(ex.Challenge) is { } uri ? $" (its Keystone is {uri})" : string.Empty;
            return new CliException(
                ExitCodes.NotAuthorized,
                $"Kiln at {target.Server} requires a Keystone token{keystone}: set {OpenStackVariables.AuthUrl} and the credentials "
                + $"({OpenStackVariables.Username}, {OpenStackVariables.Password}, {OpenStackVariables.ProjectName}, …; see docs/cli.md)");
        }

        var issuer = target.Auth.UsesKeystone ? $"the token Keystone at {target.Auth.AuthUrl} issued" : $"the token in {OpenStackVariables.Token}";
        return new CliException(ExitCodes.NotAuthorized, $"Kiln at {target.Server} refused {issuer}: {ex.Message}");
    }

    /// <summary>The <c>uri</c> of keystonemiddleware's challenge <c>Keystone uri="http://keystone:5000"</c>.</summary>
    private static string? KeystoneUri(string? challenge) =>
        challenge is not null && KeystoneChallenge().Match(challenge) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("""Keystone\s+uri="([^"]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex KeystoneChallenge();
}
