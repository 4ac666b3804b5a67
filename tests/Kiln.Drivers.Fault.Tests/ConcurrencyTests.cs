using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

/// <summary>
/// Drivers here have no control file and no call log, so calls do no I/O and collide in the store as
/// often as the machine allows; the tasks start together behind a gate.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int Tasks = 8;
    private const int CallsPerTask = 20_000;

    private readonly FaultTestBed bed = new();

    private static CancellationToken Token => FaultTestBed.Token;

    [Fact]
    public async Task CreateVolumeAsync_ManyConcurrentCreatesPastCapacity_AllocateExactlyTheCapacity()
    {
        var drivers = new[] { CreateDriver(120_000), CreateDriver(120_000) };

        var created = await RunTogetherAsync(async task =>
        {
            var count = 0;
            for (var i = 0; i < CallsPerTask; i++)
            {
                try
                {
                    await drivers[task % 2].CreateVolumeAsync(new VolumeRef($"v{task}-{i}", 1), Token);
                    count++;
                }
                catch (DriverException ex) when (ex.Message.StartsWith("insufficient capacity", StringComparison.Ordinal))
                {
                }
            }

            return count;
        });

        created.Sum().ShouldBe(120_000);
        var pool = (await drivers[0].GetStatsAsync(Token)).Pools.ShouldHaveSingleItem();
        pool.AllocatedCapacityGb.ShouldBe(120_000);
        pool.FreeCapacityGb.ShouldBe(0);
    }

    [Fact]
    public async Task CreateAndDeleteVolumeAsync_ConcurrentFromTwoDrivers_LeaveOnlyTheKeptVolumes()
    {
        var drivers = new[] { CreateDriver(1_000_000), CreateDriver(1_000_000) };

        await RunTogetherAsync(async task =>
        {
            for (var i = 0; i < CallsPerTask; i++)
            {
                var volume = new VolumeRef($"v{task}-{i}", 2);
                await drivers[task % 2].CreateVolumeAsync(volume, Token);
                await drivers[task % 2].ExtendVolumeAsync(volume, 3, Token);
                if (i % 4 != 0)
                {
                    await drivers[(task + 1) % 2].DeleteVolumeAsync(volume, Token);
                }
            }

            return 0;
        });

        (await drivers[1].GetStatsAsync(Token)).Pools[0].AllocatedCapacityGb.ShouldBe(Tasks * (CallsPerTask / 4) * 3);
    }

    [Fact]
    public async Task CreateVolumeAsync_SameIdsFromManyTasks_AllocateEachOnce()
    {
        var driver = CreateDriver(1_000_000);

        await RunTogetherAsync(async _ =>
        {
            for (var i = 0; i < CallsPerTask; i++)
            {
                await driver.CreateVolumeAsync(new VolumeRef($"same{i}", 7), Token);
            }

            return 0;
        });

        (await driver.GetStatsAsync(Token)).Pools[0].AllocatedCapacityGb.ShouldBe(CallsPerTask * 7);
    }

    private FaultDriver CreateDriver(int capacityGb) =>
        bed.CreateDriver(new BackendSection("fault1", new Dictionary<string, string> { ["fault_capacity_gb"] = $"{capacityGb}" }));

    private static async Task<int[]> RunTogetherAsync(Func<int, Task<int>> body)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, Tasks).Select(task => Task.Run(
            async () =>
            {
                await gate.Task;
                return await body(task);
            },
            Token)).ToArray();
        gate.SetResult();
        return await Task.WhenAll(running);
    }

    public void Dispose() => bed.Dispose();
}
