using System.Globalization;
using System.Text;
using Kiln.Tests.Shared;

namespace Kiln.Failover.Tests;

/// <summary>
/// Where a cycle's time goes, hop by hop: the sums and counts of Kiln's per-hop histograms
/// (<c>kiln_messages_send_seconds</c> on the sending node, <c>kiln_messages_wait_seconds</c> and
/// <c>kiln_messages_handling_seconds</c> on the handling node) and of the API nodes' own request time
/// (<c>http_server_request_duration_seconds</c>), read from every node's <c>/metrics</c> before and after a
/// measurement; the difference, divided by the count, is the mean time of that hop during it.
/// </summary>
internal static class HopProfile
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
            PrometheusScrape scrape;
            try
            {
                scrape = PrometheusScrape.Parse(await http.GetStringAsync(new Uri(node.Address, "metrics")));
            }
            catch (HttpRequestException)
            {
                continue;
            }

            foreach (var sample in scrape.Samples)
            {
                var histogram = Histograms.FirstOrDefault(h => sample.Name == h + "_sum" || sample.Name == h + "_count");
                if (histogram is null || Key(histogram, sample.Labels) is not { } key)
                {
                    continue;
                }

                var (sum, count) = totals.GetValueOrDefault(key);
                totals[key] = sample.Name.EndsWith("_sum", StringComparison.Ordinal) ? (sum + sample.Value, count) : (sum, count + sample.Value);
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

    private static string? Key(string histogram, IReadOnlyDictionary<string, string> labels)
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
}
