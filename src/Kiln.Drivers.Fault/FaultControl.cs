namespace Kiln.Drivers.Fault;

/// <summary>The faults the control file asks for at the moment of one driver call.</summary>
internal sealed record FaultControl(InitFault Init, string? ReadyFile, bool FailStats, OpsFault Ops)
{
    /// <summary>No control file, or an empty object: everything works.</summary>
    public static FaultControl AllOk { get; } = new(InitFault.Ok, null, FailStats: false, Ops: OpsFault.Ok);

    /// <summary>How long every stats call and volume operation waits before doing its work (a slow array).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Why storage counts as unreachable now, or null when it is reachable.</summary>
    public string? UnreachableReason() =>
        ReadyFile is not null && !File.Exists(ReadyFile)
            ? $"storage not reachable: ready file {ReadyFile} does not exist"
            : null;
}
