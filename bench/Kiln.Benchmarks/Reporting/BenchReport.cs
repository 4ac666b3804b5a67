using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Reporting;

/// <summary>The results of one run: raw JSON, and Markdown tables spliced into benchmarks.md between markers.</summary>
internal sealed record BenchReport(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("machine")] MachineInfo Machine,
    [property: JsonPropertyName("duration_s")] double DurationSeconds,
    [property: JsonPropertyName("measurements")] IReadOnlyList<Measurement> Measurements,
    [property: JsonPropertyName("failures")] IReadOnlyList<string> Failures)
{
    public const string Begin = "<!-- results:begin (written by ./bench.sh; edit outside these markers) -->";
    public const string End = "<!-- results:end -->";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "benchmarks.json"), JsonSerializer.Serialize(this, Json) + "\n");
        var markdown = Path.Combine(directory, "benchmarks.md");
        var existing = File.Exists(markdown) ? File.ReadAllText(markdown) : $"# Kiln benchmarks\n\n{Begin}\n{End}\n";
        var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            existing = existing.TrimEnd() + $"\n\n{Begin}\n{End}\n";
            begin = existing.IndexOf(Begin, StringComparison.Ordinal);
            end = existing.IndexOf(End, StringComparison.Ordinal);
        }

        File.WriteAllText(markdown, existing[..(begin + Begin.Length)] + "\n" + Tables() + existing[end..]);
    }

    private string Tables()
    {
        var text = new StringBuilder();
        var m = Machine;
        text.Append(CultureInfo.InvariantCulture, $"""

            Run: **{Mode}** mode, {m.DateUtc}, commit `{m.Commit}`, {DurationSeconds:0} s in all.
            Machine: {m.Cores} cores ({m.Cpu}), {m.RamGb} GB RAM, {m.Os}, {m.DotNet}; load average at start {m.LoadAverage}.
            Raw results: `benchmarks.json` beside this file.

            """);
        foreach (var failure in Failures)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n**Failed:** {failure}\n");
        }

        foreach (var scenario in Measurements.GroupBy(x => x.Scenario))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### {scenario.Key}\n\n");
            var p99 = scenario.Key == "throughput";
            text.Append("| measurement | unit | n | min | median | p95 | " + (p99 ? "p99 | " : "") + "max | mean | target | met |\n");
            text.Append("|---|---|---:|---:|---:|---:|" + (p99 ? "---:|" : "") + "---:|---:|---|---|\n");
            foreach (var x in scenario)
            {
                var s = x.Summary;
                var name = x.Note is null ? x.Name : $"{x.Name} <br><sub>{x.Note}</sub>";
                text.Append(CultureInfo.InvariantCulture,
                    $"| {name} | {x.Unit} | {s.Count} | {F(s.Min)} | {F(s.Median)} | {F(s.P95)} | {(p99 ? F(s.P99) + " | " : "")}{F(s.Max)} | {F(s.Mean)} | {x.Target?.ToString() ?? ""} | {Verdict(x.Met)} |\n");
            }
        }

        return text.ToString();
    }

    private static string Verdict(bool? met) => met switch { true => "met", false => "**not met**", null => "" };

    private static string F(double value) => double.IsNaN(value) ? "–" : value switch
    {
        >= 1000 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
