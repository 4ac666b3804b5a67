using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

internal sealed class ScriptedCleaner : ITransitionalResourceCleaner
{
    public Func<CancellationToken, Task> Next { get; set; } = _ => Task.CompletedTask;

    public Func<CancellationToken, Task> NextResync { get; set; } = _ => Task.CompletedTask;

    public int Calls { get; private set; }

    /// <summary>The steps run, in order: <c>cleanup</c> and <c>resync &lt;operation timeout&gt;</c>.</summary>
    public List<string> Steps { get; } = [];

    public Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken)
    {
        Calls++;
        Steps.Add("cleanup");
        return Next(cancellationToken);
    }

    public Task ResyncAsync(string host, IVolumeDriver driver, TimeSpan operationTimeout, CancellationToken cancellationToken)
    {
        Steps.Add(FormattableString.Invariant($"resync {operationTimeout.TotalSeconds}"));
        return NextResync(cancellationToken);
    }
}
