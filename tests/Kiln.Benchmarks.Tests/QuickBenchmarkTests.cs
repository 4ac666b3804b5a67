using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Kiln.Benchmarks.Tests;

/// <summary>
/// Runs <c>kiln-bench --quick</c> (what <c>./bench.sh --quick</c> runs) so that the benchmarks never rot.
/// It asserts that every scenario ran and produced sane figures, not the targets: CI machines vary.
/// </summary>
public sealed class QuickBenchmarkTests
{
    private static readonly string BenchDll = Metadata("KilnBenchDll");
    private static readonly string Output = Path.Combine(Metadata("RepositoryRoot"), "artifacts", "bench-quick");

    [Fact]
    public async Task Quick_AllScenarios_CompleteWithSaneFigures()
    {
        var (exitCode, log) = await RunAsync(["--quick", "--out", Output], TimeSpan.FromMinutes(4));

        exitCode.ShouldBe(0, log);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "benchmarks.json")));
        var root = results.RootElement;
        root.GetProperty("mode").GetString().ShouldBe("quick");
        root.GetProperty("failures").GetArrayLength().ShouldBe(0);
        var measurements = root.GetProperty("measurements").EnumerateArray().ToList();
        measurements.Select(m => m.GetProperty("scenario").GetString()).Distinct()
            .ShouldBe(["startup", "recovery", "scale", "throughput", "scheduler"], ignoreOrder: true);
        foreach (var m in measurements)
        {
            var name = $"{m.GetProperty("scenario")}: {m.GetProperty("name")}";
            var summary = m.GetProperty("summary");
            summary.GetProperty("n").GetInt32().ShouldBeGreaterThan(0, name);
            summary.GetProperty("min").GetDouble().ShouldBeGreaterThanOrEqualTo(0, name);
            summary.GetProperty("max").GetDouble().ShouldBeGreaterThanOrEqualTo(summary.GetProperty("median").GetDouble(), name);
        }

        Median(measurements, "recovery", "ready file → driver_state ready, with readiness probe").ShouldBeLessThan(30_000);
        Median(measurements, "throughput", "fault driver, 8 clients: cycles per second").ShouldBeGreaterThan(0);
        Median(measurements, "scheduler", "Place, 1000 pools, extra specs: none").ShouldBeGreaterThan(0);
        File.ReadAllText(Path.Combine(Output, "benchmarks.md")).ShouldContain("| measurement |");
    }

    [Fact]
    public async Task UnknownScenario_ExitsWithUsageAndCode2()
    {
        var (exitCode, log) = await RunAsync(["--scenario", "warp-speed"], TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(2);
        log.ShouldContain("unknown scenario 'warp-speed'");
        log.ShouldContain("usage: kiln-bench");
    }

    private static double Median(List<JsonElement> measurements, string scenario, string nameStart) =>
        measurements.Single(m => m.GetProperty("scenario").GetString() == scenario && m.GetProperty("name").GetString()!.StartsWith(nameStart, StringComparison.Ordinal))
            .GetProperty("summary").GetProperty("median").GetDouble();

    private static async Task<(int ExitCode, string Log)> RunAsync(string[] arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(BenchDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var log = await stdout + await stderr;
        Console.WriteLine(log);
        return (process.ExitCode, log);
    }

    private static string Metadata(string key) =>
        typeof(QuickBenchmarkTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
