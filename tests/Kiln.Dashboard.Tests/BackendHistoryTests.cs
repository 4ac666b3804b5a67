using Kiln.Core.Lifecycle;
using Kiln.Server.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Dashboard.Tests;

/// <summary>The bounded state history behind the dashboard's timeline.</summary>
public sealed class BackendHistoryTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Record_SameStateTwice_KeptOnce()
    {
        var history = new BackendHistory(time);
        history.Record("h@a", BackendState.Failed, time.GetUtcNow(), "DriverException: x");
        history.Record("h@a", BackendState.Failed, time.GetUtcNow(), "DriverException: x");
        history.Read("h@a").Count.ShouldBe(1);
    }

    [Fact]
    public void Record_MoreThanMaxEntries_KeepsTheNewest()
    {
        var history = new BackendHistory(time, maxEntries: 4);
        for (var i = 0; i < 10; i++)
        {
            history.Record("h@a", i % 2 == 0 ? BackendState.Failed : BackendState.Initializing, time.GetUtcNow(), null);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var kept = history.Read("h@a");
        kept.Count.ShouldBe(4);
        kept[^1].At.ShouldBe(time.GetUtcNow() - TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Read_ChangesOlderThanWindow_DroppedButTheStateAtTheWindowStartKept()
    {
        var history = new BackendHistory(time, maxAge: TimeSpan.FromHours(1));
        history.Record("h@a", BackendState.Initializing, time.GetUtcNow(), null);
        time.Advance(TimeSpan.FromMinutes(1));
        history.Record("h@a", BackendState.Ready, time.GetUtcNow(), null);
        time.Advance(TimeSpan.FromHours(3));

        // Ready began before the window and is still the state: it stays, what came before goes.
        var kept = history.Read("h@a");
        kept.Select(c => c.State).ShouldBe([BackendState.Ready]);
    }

    [Fact]
    public void Constructor_NonPositiveMaxEntries_Refused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new BackendHistory(time, maxEntries: 0));
}
