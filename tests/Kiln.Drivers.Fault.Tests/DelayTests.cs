using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

/// <summary><c>"delay_ms"</c> in the control file: a slow array whose calls still succeed.</summary>
public sealed class DelayTests : IDisposable
{
    private readonly FaultTestBed bed = new();

    private static CancellationToken Token => FaultTestBed.Token;

    [Fact]
    public async Task CreateVolumeAsync_Delay_FinishesOnlyAfterTheDelayAndSucceeds()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("""{"delay_ms": 1500}""");

        var create = driver.CreateVolumeAsync(new VolumeRef("v1", 1), Token);
        await WaitForCallAsync("create_volume");
        bed.Time.Advance(TimeSpan.FromMilliseconds(1499));
        create.IsCompleted.ShouldBeFalse();
        bed.Time.Advance(TimeSpan.FromMilliseconds(1));

        (await create).ProviderLocation.ShouldBe("fault://fault1/v1");
    }

    [Fact]
    public async Task GetStatsAsync_Delay_WaitsThenAnswers()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("""{"delay_ms": 200, "stats": "ok"}""");

        var stats = driver.GetStatsAsync(Token);
        await WaitForCallAsync("get_volume_stats");
        stats.IsCompleted.ShouldBeFalse();
        bed.Time.Advance(TimeSpan.FromMilliseconds(200));

        (await stats).Pools.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Operation_DelayThenCancelled_EndsWithCancellation()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("""{"delay_ms": 60000}""");
        using var cancel = new CancellationTokenSource();

        var delete = driver.DeleteVolumeAsync(new VolumeRef("v1", 1), cancel.Token);
        await WaitForCallAsync("delete_volume");
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => delete);
    }

    [Theory]
    [InlineData("""{"delay_ms": -1}""", "\"delay_ms\" = -1 is invalid: expected a whole number of milliseconds from 0 to 3600000")]
    [InlineData("""{"delay_ms": 1.5}""", "\"delay_ms\" = 1.5 is invalid")]
    [InlineData("""{"delay_ms": "100"}""", "\"delay_ms\" = \"100\" is invalid")]
    [InlineData("""{"delay_ms": 3600001}""", "\"delay_ms\" = 3600001 is invalid")]
    public async Task SetupAsync_InvalidDelay_ThrowsConfigurationError(string content, string expected)
    {
        bed.WriteControl(content);

        var error = await Should.ThrowAsync<DriverConfigurationException>(() => bed.CreateDriver().SetupAsync(Token));

        error.Message.ShouldStartWith($"fault_control_file {bed.ControlPath}: {expected}");
    }

    [Fact]
    public void Parse_Delay_ReadsMilliseconds() =>
        ControlFile.Parse("c.json", """{"delay_ms": 250}""").Delay.ShouldBe(TimeSpan.FromMilliseconds(250));

    public void Dispose() => bed.Dispose();

    private async Task WaitForCallAsync(string method)
    {
        // The call is recorded before its delay starts; the delay's timer is then registered with the fake clock.
        while (!bed.CalledMethods().Contains(method))
        {
            await Task.Delay(5, Token);
        }

        await Task.Delay(50, Token);
    }
}
