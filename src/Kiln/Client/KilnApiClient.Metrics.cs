using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Kiln.Cli.Client;

/// <summary>A backend's history as far as Kiln keeps it: the initialization attempts counted on <c>/metrics</c>.</summary>
internal sealed partial class KilnApiClient
{
    private const string InitAttemptsFamily = "kiln_backend_init_attempts_total";

    /// <summary>
    /// Initialization attempts of <paramref name="host"/> by outcome (success, recoverable, …) since the
    /// server started, or null when its <c>/metrics</c> cannot be read or does not report that backend
    /// (a backend served by another node). Best effort: the history is extra, never a reason to fail.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>?> InitAttemptsAsync(string host, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http.BaseAddress!, "/metrics"));
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        string text;
        try
        {
            using var response = await CliHttp.SendAsync(http, request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        return ParseInitAttempts(text, host);
    }

    /// <summary>The <c>kiln_backend_init_attempts_total{backend="host",outcome="…"} N</c> samples of one backend.</summary>
    public static IReadOnlyDictionary<string, long>? ParseInitAttempts(string exposition, string host)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        var attempts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(InitAttemptsFamily + "{", StringComparison.Ordinal) || Sample().Match(line) is not { Success: true } sample)
            {
                continue;
            }

            var labels = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            if (labels.GetValueOrDefault("backend") == host
                && labels.GetValueOrDefault("outcome") is { } outcome
                && double.TryParse(sample.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                attempts[outcome] = (long)value;
            }
        }

        return attempts.Count == 0 ? null : attempts;
    }

    [GeneratedRegex(@"^[a-z_]+\{(?<labels>[^}]*)\}\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
