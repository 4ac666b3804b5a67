using System.Diagnostics;
using System.Runtime.InteropServices;
using Kiln.Benchmarks;
using Kiln.Benchmarks.Infrastructure;
using Kiln.Benchmarks.Reporting;
using Kiln.Benchmarks.Scenarios;

var options = BenchOptions.Parse(args);
if (options is null)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}

if (!File.Exists(options.KilnDll))
{
    await Console.Error.WriteLineAsync($"kiln-bench: {options.KilnDll} does not exist; build src/Kiln first (./bench.sh does)");
    return 2;
}

// A benchmark interrupted by Ctrl+C or SIGTERM must not leave kiln processes behind.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => CleanUp());
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => CleanUp());

IScenario[] scenarios = [new StartupScenario(), new RecoveryScenario(), new ScaleScenario(), new ThroughputScenario(), new SchedulerScenario()];
var machine = MachineInfo.Read();
var started = Stopwatch.GetTimestamp();
var measurements = new List<Measurement>();
var failures = new List<string>();
Progress.Say($"{(options.Quick ? "quick" : "full")} run of {string.Join(", ", options.Scenarios)} against {options.KilnDll}; results to {options.OutputDirectory}");
foreach (var scenario in scenarios.Where(s => options.Scenarios.Contains(s.Name)))
{
    Progress.Say($"{scenario.Name}: starting");
    try
    {
        measurements.AddRange(await scenario.RunAsync(options));
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
    {
        // One broken scenario must not hide the others' figures; the run still fails at the end.
        failures.Add($"{scenario.Name}: {e.GetType().Name}: {e.Message}");
        Progress.Say($"{scenario.Name}: FAILED: {e}");
    }
}

var report = new BenchReport(options.Quick ? "quick" : "full", machine, Stopwatch.GetElapsedTime(started).TotalSeconds, measurements, failures);
report.Write(options.OutputDirectory);
Progress.Say($"wrote {Path.Combine(options.OutputDirectory, "benchmarks.md")} and benchmarks.json");
foreach (var x in measurements.Where(x => x.Met is not null))
{
    Console.WriteLine($"  {(x.Met == true ? "met    " : "NOT MET")}  {x.Scenario}: {x.Name}: {x.Target}");
}

return failures.Count == 0 ? 0 : 1;

static void CleanUp()
{
    KilnServer.KillAll();
    TempDirectory.DeleteAll();
}
