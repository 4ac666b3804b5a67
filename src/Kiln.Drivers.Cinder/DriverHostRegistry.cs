using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kiln.Drivers.Cinder;

/// <summary>The live driver host processes of one factory, by backend, so metrics can read their memory and CPU.</summary>
public sealed class DriverHostRegistry
{
    private readonly ConcurrentDictionary<DriverHostProcess, string> live = new();

    internal void Add(DriverHostProcess host, string backend) => live[host] = backend;

    internal void Remove(DriverHostProcess host) => live.TryRemove(host, out _);

    /// <summary>Resident memory and CPU time of each live host process; processes that have just exited are left out.</summary>
    public IReadOnlyList<DriverHostUsage> Usage()
    {
        var usage = new List<DriverHostUsage>();
        foreach (var (host, backend) in live)
        {
            if (host.Sample() is { } sample)
            {
                usage.Add(sample with { Backend = backend });
            }
        }

        return usage;
    }
}

/// <summary>One host process's resident memory (bytes) and CPU time used since it started.</summary>
public sealed record DriverHostUsage(string Backend, int Pid, long ResidentBytes, TimeSpan CpuTime);

/// <summary>Reads a process's usage; a process that is gone reads as null.</summary>
internal static class ProcessUsage
{
    public static DriverHostUsage? Of(Process process)
    {
        try
        {
            process.Refresh();
            return process.HasExited ? null : new DriverHostUsage(string.Empty, process.Id, process.WorkingSet64, process.TotalProcessorTime);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
