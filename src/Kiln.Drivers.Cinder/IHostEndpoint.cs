namespace Kiln.Drivers.Cinder;

/// <summary>
/// The operating-system side of one driver host: its three streams, its exit, and how to kill it. A host is either a
/// process Kiln started (<see cref="SpawnedEndpoint"/>) or one the zygote forked (<see cref="ForkedEndpoint"/>); the
/// protocol on top is the same (<see cref="DriverHostProcess"/>).
/// </summary>
internal interface IHostEndpoint : IDisposable
{
    int Pid { get; }

    /// <summary>Requests to the host.</summary>
    TextWriter Input { get; }

    /// <summary>Responses from the host.</summary>
    TextReader Output { get; }

    /// <summary>The host's log (its stderr and stdout).</summary>
    TextReader Errors { get; }

    /// <summary>Completes when the host has ended, with its exit code (negative: the signal that ended it), or null when nobody can tell.</summary>
    Task<int?> WaitForExitAsync();

    /// <summary>Ends the host's input: it exits at end of input.</summary>
    void CloseInput();

    /// <summary>Kills the host and everything it started, by its id. Throws nothing when it is gone already.</summary>
    void Kill();

    /// <summary>Resident memory and CPU time, or null when the host is gone.</summary>
    DriverHostUsage? Sample();
}
