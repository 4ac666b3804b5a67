using System.Globalization;
using System.Text;

namespace Kiln.Tests.Shared;

/// <summary>One sample of a Prometheus text exposition: <c>name{label="value",...} 1.5</c>.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A parsed <c>/metrics</c> answer (Prometheus text format 0.0.4), strict enough that a malformed line
/// fails the test instead of being skipped.
/// </summary>
internal sealed class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<PrometheusSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Text = text;
        Samples = samples;
        Types = types;
    }

    public string Text { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>The <c># TYPE</c> of each metric family.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static async Task<PrometheusScrape> GetAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /metrics answered {(int)response.StatusCode}: {text}");
        }

        if (response.Content.Headers.ContentType?.MediaType != "text/plain")
        {
            throw new InvalidOperationException($"GET /metrics answered {response.Content.Headers.ContentType}");
        }

        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            samples.Add(ParseSample(line));
        }

        return new PrometheusScrape(text, samples, types);
    }

    /// <summary>Every sample of <paramref name="name"/> whose labels include <paramref name="labels"/> (name=value pairs).</summary>
    public IReadOnlyList<PrometheusSample> Find(string name, params string[] labels)
    {
        if (labels.Length % 2 != 0)
        {
            throw new ArgumentException("labels come in name, value pairs", nameof(labels));
        }

        return [.. Samples.Where(s => s.Name == name && Enumerable.Range(0, labels.Length / 2)
            .All(i => s.Labels.TryGetValue(labels[2 * i], out var value) && value == labels[(2 * i) + 1]))];
    }

    /// <summary>The value of the one sample of <paramref name="name"/> with <paramref name="labels"/>; null when there is none.</summary>
    public double? Value(string name, params string[] labels)
    {
        var found = Find(name, labels);
        return found.Count switch
        {
            0 => null,
            1 => found[0].Value,
            _ => throw new InvalidOperationException($"{found.Count} series of {name} match {string.Join(",", labels)}:\n{string.Join('\n', found)}"),
        };
    }

    private static PrometheusSample ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                var label = line[i..equals];
                i = equals + 1;
                if (line[i] != '"')
                {
                    throw new FormatException($"expected a quoted label value: {line}");
                }

                i++;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                labels[label] = value.ToString();
                i++;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        var rest = line[i..].Trim().Split(' ');
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, number);
    }
}
