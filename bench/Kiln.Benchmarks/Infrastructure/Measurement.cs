using System.Text.Json.Serialization;

namespace Kiln.Benchmarks.Infrastructure;

/// <summary>One measured figure: its trials summarized, the raw values, and the target it is judged against (if any).</summary>
internal sealed record Measurement(
    [property: JsonPropertyName("scenario")] string Scenario,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("summary")] Summary Summary,
    [property: JsonPropertyName("values")] IReadOnlyList<double> Values)
{
    [JsonPropertyName("target")]
    public Target? Target { get; init; }

    [JsonPropertyName("met")]
    public bool? Met => Target?.IsMetBy(Summary);

    [JsonPropertyName("note")]
    public string? Note { get; init; }

    public static Measurement Of(string scenario, string name, string unit, IReadOnlyList<double> values, Target? target = null, string? note = null) =>
        new(scenario, name, unit, Summary.Of(values), values) { Target = target, Note = note };
}

/// <summary>A target such as "p95 &lt; 3000 ms": which statistic, which side, which bound.</summary>
internal sealed record Target(
    [property: JsonPropertyName("statistic")] string Statistic,
    [property: JsonPropertyName("comparison")] string Comparison,
    [property: JsonPropertyName("bound")] double Bound)
{
    public static Target Below(string statistic, double bound) => new(statistic, "<", bound);

    public static Target AtLeast(string statistic, double bound) => new(statistic, ">=", bound);

    public bool IsMetBy(Summary summary)
    {
        var value = Statistic switch
        {
            "min" => summary.Min,
            "median" => summary.Median,
            "p95" => summary.P95,
            "p99" => summary.P99,
            "max" => summary.Max,
            "mean" => summary.Mean,
            _ => throw new InvalidOperationException($"unknown statistic {Statistic}"),
        };
        return Comparison == "<" ? value < Bound : value >= Bound;
    }

    public override string ToString() => FormattableString.Invariant($"{Statistic} {Comparison} {Bound:0.###}");
}
