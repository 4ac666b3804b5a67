using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

internal sealed class ScriptedCleaner : ITransitionalResourceCleaner
{
    public Func<CancellationToken, Task> Next { get; set; } = _ => Task.CompletedTask;

    public int Calls { get; private set; }

    public Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken)
    {
        Calls++;
        return Next(cancellationToken);
    }
}
