using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// Starts the driver host of an initialization attempt: forked by the zygote of its interpreter and program (one per
/// Kiln process, started on first use and again whenever it has died), or as a process of its own when the backend
/// sets <c>driver_host_prefork = false</c>.
/// </summary>
public sealed class DriverHostLauncher : IAsyncDisposable
{
    private readonly Dictionary<(string Python, string Program), DriverHostZygote> zygotes = [];
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>The process id of the live zygote for <paramref name="python"/> and <paramref name="program"/>, if any (for tests and diagnostics).</summary>
    public int? ZygotePid(string python, string program)
    {
        lock (gate)
        {
            return zygotes.TryGetValue((python, program), out var zygote) && !zygote.HasEnded ? zygote.Pid : null;
        }
    }

    internal async Task<DriverHostProcess> StartAsync(CinderDriverOptions options, string backend, ILogger logger, DriverHostRegistry registry, CancellationToken cancellationToken)
    {
        if (!options.Prefork)
        {
            return DriverHostProcess.Start(options.Python, options.HostProgram, backend, logger, registry);
        }

        var zygote = Zygote(options.Python, options.HostProgram, logger);
        try
        {
            return await zygote.ForkAsync(backend, registry, cancellationToken).ConfigureAwait(false);
        }
        catch (ZygoteUnavailableException)
        {
            // It died between our look and the fork (or cannot fork any more): a fresh zygote, once; a second failure is the attempt's.
            zygote.Kill("it could not fork a driver host");
            return await Zygote(options.Python, options.HostProgram, logger, replacing: zygote).ForkAsync(backend, registry, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        DriverHostZygote[] all;
        lock (gate)
        {
            disposed = true;
            all = [.. zygotes.Values];
            zygotes.Clear();
        }

        foreach (var zygote in all)
        {
            await zygote.DisposeAsync().ConfigureAwait(false);
        }
    }

    private DriverHostZygote Zygote(string python, string program, ILogger logger, DriverHostZygote? replacing = null)
    {
        DriverHostZygote? dead = null;
        DriverHostZygote zygote;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (zygotes.TryGetValue((python, program), out var current) && !current.HasEnded && current != replacing)
            {
                return current;
            }

            // The fallback when the zygote has died (crashed, killed, or failed its import): a new one.
            dead = current;
            zygote = DriverHostZygote.Start(python, program, logger);
            zygotes[(python, program)] = zygote;
        }

        if (dead is not null)
        {
            _ = dead.DisposeAsync().AsTask();
        }

        return zygote;
    }
}
