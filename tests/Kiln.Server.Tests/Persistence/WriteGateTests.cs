using Kiln.Core.Volumes;
using Kiln.Server.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

public sealed class WriteGateTests
{
    // Long enough for a write on an idle SQLite file to finish many times over.
    private static readonly TimeSpan Held = TimeSpan.FromMilliseconds(300);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnterAsync_WhileAnotherTurnIsHeld_WaitsUntilItEnds()
    {
        using var gate = new WriteGate(serialize: true);
        var first = await gate.EnterAsync(Cancel);

        var second = gate.EnterAsync(Cancel).AsTask();
        (await Task.WhenAny(second, Task.Delay(Held, Cancel))).ShouldNotBe(second);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(30), Cancel)).Dispose();
    }

    [Fact]
    public async Task EnterAsync_None_NeverWaits()
    {
        using var first = await WriteGate.None.EnterAsync(Cancel);

        var second = WriteGate.None.EnterAsync(Cancel);

        second.IsCompleted.ShouldBeTrue();
    }

    [Fact]
    public async Task Sqlite_RepositoryWrites_WaitForTheGateAndReadsDoNot()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);
        var gate = database.Services.GetRequiredService<WriteGate>();

        var turn = await gate.EnterAsync(Cancel);
        var add = database.Volumes.AddAsync(Samples.Volume("v2"), Cancel);
        var update = database.Volumes.TryUpdateAsync("v1", [VolumeStatus.Available], v => v with { Name = "renamed" }, Cancel);
        var read = database.Volumes.FindAsync("v1", Cancel);

        (await read.WaitAsync(TimeSpan.FromSeconds(30), Cancel))!.Name.ShouldBe("name-v1");
        var writes = Task.WhenAll(add, update);
        (await Task.WhenAny(writes, Task.Delay(Held, Cancel))).ShouldNotBe(writes);
        add.IsCompleted.ShouldBeFalse();
        update.IsCompleted.ShouldBeFalse();

        turn.Dispose();
        await add.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        (await update.WaitAsync(TimeSpan.FromSeconds(30), Cancel)).ShouldNotBeNull();
        (await database.Volumes.FindAsync("v2", Cancel)).ShouldNotBeNull();
    }
}
