namespace Kiln.Drivers.File.Tests;

/// <summary>
/// A re-initialization's setup meets a <c>.part</c> file that a create of this run is still writing: it
/// waits for the file's lock, and when the create has renamed it into place there is nothing to remove. It
/// used to log "removed …, left half-written by an earlier run" for such complete files.
/// </summary>
public sealed class PartFileRaceTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task Setup_PartFileCompletedByAnInFlightCreateWhileWaiting_IsNeitherRemovedNorReported()
    {
        var final = bed.VolumePath("inflight", "raw");
        var part = VolumeFiles.PartPath(final);
        await System.IO.File.WriteAllTextAsync(part, "complete", FileTestBed.Token);
        var key = VolumeFiles.KeyOfPart(part);
        var create = await KeyedLocks.AcquireAsync([key], FileTestBed.Token);

        var setup = bed.CreateDriver().SetupAsync(FileTestBed.Token);
        await WaitAsync(() => KeyedLocks.References(key) == 2, "setup waits for the file's lock");
        System.IO.File.Move(part, final);
        create.Dispose();
        await setup.WaitAsync(TimeSpan.FromSeconds(30), FileTestBed.Token);

        System.IO.File.ReadAllText(final).ShouldBe("complete");
        bed.Logs.Lines.ShouldNotContain(line => line.Contains("left half-written", StringComparison.Ordinal));
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + 15_000;
        while (!condition())
        {
            (Environment.TickCount64 < deadline).ShouldBeTrue(what);
            await Task.Delay(5, FileTestBed.Token);
        }
    }
}
