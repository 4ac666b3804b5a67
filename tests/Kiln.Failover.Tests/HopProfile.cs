using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kiln.Failover.Tests;

/// <summary>
/// Where a cycle's time goes, hop by hop: the sums and counts of Kiln's per-hop histograms
/// (<c>kiln_messages_send_seconds</c> on the sending node, <c>kiln_messages_wait_seconds</c> and
/// <c>kiln_messages_handling_seconds</c> on the handling node) and of the API nodes' own request time
/// (<c>http_server_request_duration_seconds</c>), read from every node's <c>/metrics</c> before and after a
/// measurement; the difference, divided by the count, is the mean time of that hop during it.
/// </summary>
internal static partial class HopProfile
{
    private static readonly string[] Histograms =
    [
        "kiln_messages_send_seconds", "kiln_messages_wait_seconds", "kiln_messages_handling_seconds", "http_server_request_duration_seconds",
    ];

    /// <summary>Sum and count per (histogram, labels that matter), summed over <paramref name="nodes"/>.</summary>
    public static async Task<Dictionary<string, (double Sum, double Count)>> ReadAsync(IEnumerable<KilnNode> nodes)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var totals = new Dictionary<string, (double Sum, double Count)>(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => n.Alive))
        {
            string text;
            try
            {
                text = await http.GetStringAsync(new Uri(node.Address, "metrics"));
            }
            catch (HttpRequestException)
            {
                continue;
            }

            foreach (var line in text.Split('\n'))
            {
                var match = Sample().Match(line);
                if (!match.Success || Histograms.FirstOrDefault(h => match.Groups["name"].Value == h + "_sum" || match.Groups["name"].Value == h + "_count") is not { } histogram)
                {
                    continue;
                }

                var key = Key(histogram, Labels(match.Groups["labels"].Value));
                if (key is null || !double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                var (sum, count) = totals.GetValueOrDefault(key);
                totals[key] = match.Groups["name"].Value.EndsWith("_sum", StringComparison.Ordinal) ? (sum + value, count) : (sum, count + value);
            }
        }

        return totals;
    }

    /// <summary>One markdown row per hop: the mean milliseconds between the two readings and how many were measured.</summary>
    public static string Describe(Dictionary<string, (double Sum, double Count)> before, Dictionary<string, (double Sum, double Count)> after)
    {
        var text = new StringBuilder();
        text.AppendLine("| hop | mean ms | measured |");
        text.AppendLine("|---|---|---|");
        foreach (var (key, (sum, count)) in after.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var (sumBefore, countBefore) = before.GetValueOrDefault(key);
            var n = count - countBefore;
            if (n > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {(sum - sumBefore) * 1000 / n:0.0} | {n:0} |");
            }
        }

        return text.ToString();
    }

    private static string? Key(string histogram, Dictionary<string, string> labels)
    {
        // Each volume host's queue apart (the backends' drivers differ); the HTTP time only for the cycle's requests.
        var queue = labels.GetValueOrDefault("queue");
        return histogram switch
        {
            "http_server_request_duration_seconds" when labels.GetValueOrDefault("http_route") is { } route && route.Contains("volumes", StringComparison.Ordinal)
                => $"API {labels.GetValueOrDefault("http_request_method")} {route} (status {labels.GetValueOrDefault("http_response_status_code")})",
            "http_server_request_duration_seconds" => null,
            "kiln_messages_send_seconds" => $"send to {queue} (until confirmed)",
            "kiln_messages_wait_seconds" => $"wait in {queue}: {labels.GetValueOrDefault("message")}",
            _ => $"handle from {queue}: {labels.GetValueOrDefault("message")}",
        };
    }

    private static Dictionary<string, string> Labels(string text) =>
        LabelPair().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    // Greedy: a label value may hold braces (http_route="/v3/{project_id}/volumes/").
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})? (?<value>\S+)""")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
