using System.Globalization;
using System.Text.Json;
using Polly.Timeout;

namespace Kiln.Server.Identity.Keystone;

/// <summary>Turns a failure to get a usable answer from Keystone into the reason operators and the Unavailable result read.</summary>
internal static class KeystoneFailure
{
    /// <summary>
    /// <paramref name="exception"/> as a <see cref="KeystoneUnavailableException"/> naming
    /// <paramref name="call"/>, or null when it is not a failure of the call (a bug: let it surface).
    /// </summary>
    public static KeystoneUnavailableException? From(Exception exception, string call, Uri url, TimeSpan attemptTimeout) => exception switch
    {
        KeystoneUnavailableException unavailable => unavailable,
        TimeoutRejectedException => new($"Keystone at {url.Authority} did not answer {call} within {Seconds(attemptTimeout)} s", exception),
        HttpRequestException http => new($"Keystone at {url.Authority} cannot be reached for {call}: {http.Message}", exception),
        TaskCanceledException => new($"Keystone at {url.Authority} did not answer {call} in time", exception),
        JsonException or NotSupportedException => new($"Keystone's answer to {call} is not a token body", exception),
        _ => null,
    };

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
