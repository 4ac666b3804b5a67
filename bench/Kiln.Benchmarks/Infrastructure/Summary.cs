using System.Text.Json.Serialization;

namespace Kiln.Benchmarks.Infrastructure;

/// <summary>Order statistics of repeated trials: nearest-rank percentiles, so every figure is a value that was measured.</summary>
internal sealed record Summary(
    [property: JsonPropertyName("n")] int Count,
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("median")] double Median,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("max")] double Max,
    [property: JsonPropertyName("mean")] double Mean)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        return new Summary(sorted.Length, sorted[0], Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    /// <summary>The value at or above <paramref name="fraction"/> of the sample (nearest rank).</summary>
    private static double Rank(double[] sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
