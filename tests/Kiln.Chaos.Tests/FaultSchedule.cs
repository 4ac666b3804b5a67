using System.Globalization;

namespace Kiln.Chaos.Tests;

/// <summary>What one step of the schedule does.</summary>
internal enum FaultKind
{
    /// <summary>Rewrites a faulty backend's control file (<see cref="FaultStep.Control"/>).</summary>
    Control,

    /// <summary>Storage unreachable: the backend's ready file is removed (probe says not ready).</summary>
    Unreachable,

    /// <summary>Control file back to <c>{}</c> and the ready file present.</summary>
    Heal,

    /// <summary>An operator's <c>PUT /os-services/reinit</c> for the backend.</summary>
    Reinit,

    /// <summary>kill -9 of the whole process, then a restart on the same data.</summary>
    Kill,

    /// <summary>The database's filesystem fills up (a file takes every free byte).</summary>
    FillDatabase,

    /// <summary>The filler file goes: the database can write again.</summary>
    FreeDatabase,
}

/// <summary>One fault at one moment of the run; <see cref="Index"/> is what a reproduction names.</summary>
internal sealed record FaultStep(int Index, TimeSpan At, FaultKind Kind, string? Backend = null, string? Control = null)
{
    public bool IsGlobal => Kind is FaultKind.Kill or FaultKind.FillDatabase or FaultKind.FreeDatabase;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"#{Index} at {At.TotalSeconds:0.0}s {Kind}{(Backend is null ? "" : " " + Backend)}{(Control is null ? "" : " " + Control)}");
}

/// <summary>The faults of one run, derived from its seed alone, so the seed reproduces them.</summary>
internal static class FaultSchedule
{
    // What a faulty backend's control file can say; the stats failure makes a ready backend fail
    // and re-initialize, so the init fault next to it is what the re-initialization meets.
    private static readonly string[] Controls =
    [
        """{"ops": "fail"}""",
        """{"ops": "hang"}""",
        """{"stats": "fail"}""",
        """{"stats": "fail", "init": "transient"}""",
        """{"stats": "fail", "init": "config"}""",
        """{"stats": "fail", "init": "unsupported"}""",
        """{"stats": "fail", "init": "dependency"}""",
        """{"stats": "fail", "init": "hang"}""",
        """{"ops": "fail", "delay_ms": 300}""",
    ];

    public static IReadOnlyList<FaultStep> Build(ChaosSettings settings, bool databaseCanFill)
    {
        var random = new Random(settings.Seed);
        var steps = new List<(TimeSpan At, FaultKind Kind, string? Backend, string? Control)>();
        var end = settings.Duration;

        // The process-wide faults, in slots of their own so they never overlap: a kill and a full
        // database per 30 s. A run shorter than that gets one of the two, chosen by the seed's parity
        // (the short run's fixed seeds 1 and 2 cover both), since a restart alone takes 5-15 s here.
        var pairs = (int)(end.TotalSeconds / 30);
        var kinds = pairs == 0
            ? [settings.Seed % 2 != 0 || !databaseCanFill ? FaultKind.Kill : FaultKind.FillDatabase]
            : Enumerable.Range(0, pairs).SelectMany(_ => random.Next(2) == 0 ? new[] { FaultKind.Kill, FaultKind.FillDatabase } : [FaultKind.FillDatabase, FaultKind.Kill])
                .Where(k => databaseCanFill || k == FaultKind.Kill).ToArray();
        var slot = end / (kinds.Length + 1);
        for (var i = 0; i < kinds.Length; i++)
        {
            var at = slot * (i + 0.6) + slot * random.NextDouble() * 0.5;
            steps.Add((at, kinds[i], null, null));
            if (kinds[i] == FaultKind.FillDatabase)
            {
                steps.Add((at + TimeSpan.FromSeconds(1.5 + random.NextDouble() * 2), FaultKind.FreeDatabase, null, null));
            }
        }

        // Backend faults: every 0.4-1.2 s one faulty backend changes.
        for (var at = TimeSpan.FromSeconds(1); at < end - TimeSpan.FromSeconds(1); at += TimeSpan.FromSeconds(0.4 + random.NextDouble() * 0.8))
        {
            var backend = ChaosSettings.FaultyBackends[random.Next(ChaosSettings.FaultyBackends.Length)];
            var roll = random.Next(100);
            steps.Add(roll switch
            {
                < 45 => (at, FaultKind.Control, backend, Controls[random.Next(Controls.Length)]),
                < 55 => (at, FaultKind.Control, backend, string.Create(CultureInfo.InvariantCulture, $$"""{"delay_ms": {{100 + random.Next(1400)}}}""")),
                < 65 => (at, FaultKind.Unreachable, backend, null),
                < 88 => (at, FaultKind.Heal, backend, null),
                _ => (at, FaultKind.Reinit, backend, null),
            });
        }

        var ordered = steps.OrderBy(s => s.At).Select((s, i) => new FaultStep(i, s.At, s.Kind, s.Backend, s.Control));
        return [.. ordered.Where(s => settings.StepLimit is not { } limit || s.Index < limit)];
    }
}
