using System.Globalization;

namespace Kiln.Chaos.Tests;

/// <summary>
/// What one chaos run does. The short run (part of ./build.sh) uses fixed seeds and a short duration;
/// eng/chaos.sh sets <c>KILN_CHAOS_SEED</c>, <c>KILN_CHAOS_SECONDS</c> and optionally
/// <c>KILN_CHAOS_STEPS</c> (replay only the first N fault steps) for a long or reproducing run.
/// </summary>
internal sealed record ChaosSettings(int Seed, TimeSpan Duration)
{
    public const string SeedVariable = "KILN_CHAOS_SEED";
    public const string SecondsVariable = "KILN_CHAOS_SECONDS";
    public const string StepsVariable = "KILN_CHAOS_STEPS";
    public const string ReportVariable = "KILN_CHAOS_REPORT";
    public const string KeepVariable = "KILN_CHAOS_KEEP";

    /// <summary>Fault backends that are never given a fault: every request on them must succeed.</summary>
    public static readonly string[] CleanFaultBackends = ["f0", "f1"];

    /// <summary>Fault backends the schedule breaks.</summary>
    public static readonly string[] FaultyBackends = ["f2", "f3", "f4", "f5", "f6", "f7"];

    /// <summary>The file backend: real files on disk, never given a backend fault.</summary>
    public const string FileBackend = "file";

    public static readonly string[] AllBackends = [.. CleanFaultBackends, .. FaultyBackends, FileBackend];

    public static bool IsClean(string backend) => !FaultyBackends.Contains(backend);

    /// <summary>Replay only the fault steps with an index below this (null: all).</summary>
    public int? StepLimit { get; init; }

    public int Workers { get; init; } = 6;

    /// <summary>How long a worker waits for one request's resource to leave its transitional status.</summary>
    public TimeSpan OperationWait { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>After faults stop: how long every backend has to be ready again, and every resource final.</summary>
    public TimeSpan SettleBound { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Kiln's <c>driver_init_timeout</c>, <c>driver_stats_timeout</c> and <c>driver_operation_timeout</c> in the run: a hung call ends after this.</summary>
    public double DriverTimeoutSeconds { get; init; } = 5;

    public int ReinitBudget { get; init; } = 3;

    public string? ReportPath { get; init; }

    public bool KeepDirectory { get; init; }

    /// <summary>The settings eng/chaos.sh asked for, or null when the environment names no seed.</summary>
    public static ChaosSettings? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(SeedVariable) is not { Length: > 0 } seedText)
        {
            return null;
        }

        var seconds = Environment.GetEnvironmentVariable(SecondsVariable) is { Length: > 0 } text
            ? double.Parse(text, CultureInfo.InvariantCulture)
            : 60;
        return new ChaosSettings(int.Parse(seedText, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(seconds))
        {
            StepLimit = Environment.GetEnvironmentVariable(StepsVariable) is { Length: > 0 } steps ? int.Parse(steps, CultureInfo.InvariantCulture) : null,
            ReportPath = Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } report ? report : null,
            KeepDirectory = Environment.GetEnvironmentVariable(KeepVariable) == "1",
        };
    }

    public string ReproduceCommand(int? steps = null) =>
        string.Create(CultureInfo.InvariantCulture, $"eng/chaos.sh --seed {Seed} --seconds {Duration.TotalSeconds:0.#}{(steps is { } n ? $" --steps {n}" : "")}");
}
