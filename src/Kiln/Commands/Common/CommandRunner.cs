using System.Net;
using System.Text.RegularExpressions;
using Kiln.Cli.Client;

namespace Kiln.Cli.Commands.Common;

/// <summary>
/// Runs a command's action and turns expected failures into one line <c>kiln: message</c> on stderr
/// and a distinct exit code (<see cref="ExitCodes"/>): no stack traces for things that can happen.
/// </summary>
internal static partial class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            return await FailAsync(ex.ExitCode, ex.Message).ConfigureAwait(false);
        }
        catch (KilnApiException ex)
        {
            return await FailAsync(ExitCodeOf(ex.StatusCode), ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Only Ctrl+C cancels a command's token: HttpClient's own timeout becomes an HttpRequestException.
            return await FailAsync(ExitCodes.Interrupted, "interrupted").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The last resort of a command-line tool: one line and exit code 1, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await FailAsync(ExitCodes.Unexpected, $"unexpected error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>404 is "not found"; 400 and 409 are refusals; 401 and 403 "not authorized"; anything else (5xx, 406) is unexpected.</summary>
    public static int ExitCodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.NotAuthorized,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.BadRequest or HttpStatusCode.Conflict => ExitCodes.Conflict,
        _ => ExitCodes.Unexpected,
    };

    public static async Task<int> FailAsync(int exitCode, string message)
    {
        await Console.Error.WriteLineAsync($"kiln: {OneLine(message)}").ConfigureAwait(false);
        return exitCode;
    }

    // One line per failure, so logs and `2>&1 | tail -1` keep the whole message.
    private static string OneLine(string message) =>
        Whitespace().Replace(message, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
