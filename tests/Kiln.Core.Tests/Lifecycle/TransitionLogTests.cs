using System.Globalization;
using System.Text.RegularExpressions;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>One line per transition, but no flood while a backend keeps failing with the same error.</summary>
public sealed class TransitionLogTests
{
    private const int Transition = 1;
    private const int ToFailed = 8;
    private const int StillFailed = 11;
    private const int ProbeReady = 4;

    // A backend that retries every second without limit: the worst case for the log.
    private static readonly LifecycleOptions EverySecond = new()
    {
        ReinitDriverCount = 0,
        ReinitBackoffInitial = TimeSpan.FromSeconds(1),
        ReinitBackoffMax = TimeSpan.FromSeconds(1),
        StatsPollingInterval = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task Write_SameFailureForTenMinutes_OneFullLineThenAtMostOneSummaryPerPollingInterval()
    {
        await using var h = new Harness(EverySecond);
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("storage not reachable"));
        await h.StartAsync();

        await h.AdvanceUntilAsync(_ => h.Time.GetUtcNow() >= Harness.Start + TimeSpan.FromMinutes(10), maxSteps: 5000);

        var attempts = h.Storage.Count("setup");
        attempts.ShouldBeGreaterThan(400);
        var visible = Visible(h);
        visible.Count(e => e.EventId == ToFailed).ShouldBe(1);
        visible.Count(e => e.EventId == Transition).ShouldBe(1, "only the first failed -> initializing");
        var summaries = visible.Where(e => e.EventId == StillFailed).ToList();
        summaries.Count.ShouldBeInRange(9, 10);
        summaries[^1].Message.ShouldContain("attempts in a row with the same error since 2026-01-01T00:00:00.0000000+00:00");
        var counted = summaries.Select(e => int.Parse(Regex.Match(e.Message, "still failed after ([0-9]+) attempts").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        counted.ShouldBeInOrder(SortDirection.Ascending);
        counted[^1].ShouldBeInRange(attempts - 70, attempts);
        summaries[^1].Message.ShouldContain("DriverException: storage not reachable; re-initialization");
        summaries[^1].Message.ShouldContain("of unlimited next at 2026-01-01T00:");

        // Every failure still has its line: in full at Debug, or as a summary.
        h.Logger.Entries.Count(e => e.EventId is ToFailed or StillFailed).ShouldBe(attempts);
    }

    [Fact]
    public async Task Write_SummaryLines_AreAtLeastOnePollingIntervalApart()
    {
        await using var h = new Harness(EverySecond);
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();
        int FailureLines() => Visible(h).Count(e => e.EventId is ToFailed or StillFailed);
        FailureLines().ShouldBe(1);

        // An attempt and its failure happen at one instant of the fake clock, so the time after each
        // wake-up is the time of any line it wrote.
        List<DateTimeOffset> lines = [Harness.Start];
        while (h.Time.GetUtcNow() < Harness.Start + TimeSpan.FromMinutes(5))
        {
            await h.AdvanceToNextWakeAsync();
            if (FailureLines() > lines.Count)
            {
                lines.Add(h.Time.GetUtcNow());
            }
        }

        lines.Count.ShouldBeInRange(4, 5);
        for (var i = 1; i < lines.Count; i++)
        {
            (lines[i] - lines[i - 1]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(60));
            (lines[i] - lines[i - 1]).ShouldBeLessThan(TimeSpan.FromSeconds(62), "the next failure after the interval is summarized");
        }
    }

    [Fact]
    public async Task Write_ErrorChanges_LogsTheNewErrorAtOnce()
    {
        await using var h = new Harness(EverySecond);
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("login failed"));
        await h.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await h.AdvanceToNextWakeAsync();
        }

        h.Storage.SetupDefault = Storage.Throw(new DriverException("array still booting"));
        await h.AdvanceToNextWakeAsync();

        var failed = Visible(h).Where(e => e.EventId == ToFailed).Select(e => e.Message).ToList();
        failed.Count.ShouldBe(2);
        failed[0].ShouldContain("login failed");
        failed[1].ShouldContain("array still booting");
    }

    [Fact]
    public async Task Write_RecoveryAfterRepeatedFailures_LogsReadyAtInformation()
    {
        await using var h = new Harness(EverySecond);
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await h.AdvanceToNextWakeAsync();
        }

        h.Storage.SetupDefault = _ => Task.CompletedTask;
        await h.AdvanceUntilAsync(s => s.State == BackendState.Ready);

        Visible(h).Last().Message.ShouldBe("Backend node@test: initializing -> ready");
    }

    [Fact]
    public async Task Write_GaveUpAfterRepeatedFailures_IsLoggedInFull()
    {
        await using var h = new Harness(EverySecond with { ReinitDriverCount = 5 });
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();

        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);

        var last = Visible(h).Last();
        last.Level.ShouldBe(LogLevel.Error);
        last.Message.ShouldContain("initializing -> gave_up; DriverException: down; re-initializations used 5 of 5");
    }

    [Fact]
    public async Task Write_ManualReinitAfterRepeatedFailures_LogsTheNextFailureInFull()
    {
        await using var h = new Harness(EverySecond);
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await h.AdvanceToNextWakeAsync();
        }

        var before = Visible(h).Count;
        await h.ReinitAsync();

        var after = Visible(h).Skip(before).Select(e => e.Message).ToList();
        after.Count.ShouldBe(3);
        after[0].ShouldContain("manual re-initialization requested");
        after[1].ShouldEndWith("failed -> initializing");
        after[2].ShouldContain("initializing -> failed; DriverException: down");
    }

    [Fact]
    public async Task Write_ProbeFlapsWhileInitKeepsFailing_ProbeLinesGoToDebug()
    {
        await using var h = new Harness(new LifecycleOptions
        {
            ReinitDriverCount = 0,
            ReinitBackoffInitial = TimeSpan.FromSeconds(50),
            ReinitProbeInterval = TimeSpan.FromSeconds(2),
        });
        var calls = 0;
        h.Storage.Probe = () => ++calls % 2 == 0 ? ProbeResult.Ready : ProbeResult.NotReady("flapping");
        h.Storage.SetupDefault = Storage.Throw(new DriverException("login failed"));
        await h.StartAsync();

        await h.AdvanceUntilAsync(_ => h.Time.GetUtcNow() >= Harness.Start + TimeSpan.FromSeconds(50), maxSteps: 5000);

        h.Storage.Count("setup").ShouldBeGreaterThan(10);
        var visible = Visible(h);
        visible.Count(e => e.EventId == ProbeReady).ShouldBe(1);
        visible.Count(e => e.EventId == ToFailed).ShouldBe(1);
        visible.Count.ShouldBeLessThanOrEqualTo(4);
    }

    private static List<(LogLevel Level, int EventId, string Message)> Visible(Harness h) =>
        [.. h.Logger.Entries.Where(e => e.Level >= LogLevel.Information)];
}
