using Kiln.Core.Drivers;

namespace Kiln.Core.Volumes;

/// <summary>Why a connection call on a volume's driver did not give an answer.</summary>
public enum ConnectionFailure
{
    /// <summary>No driver to call: the backend is not ready or not served by this process.</summary>
    BackendUnavailable,

    /// <summary>The driver cannot do this for this volume (for example iSCSI for a qcow2 volume).</summary>
    NotSupported,

    /// <summary>The driver tried and failed.</summary>
    DriverError,
}

/// <summary>The answer of a synchronous connection call: the connection info, or a failure with its reason.</summary>
public readonly record struct ConnectionResult(ConnectionInfo? Info, ConnectionFailure? Failure, string? Reason)
{
    public bool Succeeded => Failure is null;

    public static ConnectionResult Success(ConnectionInfo? info) => new(info, null, null);

    public static ConnectionResult Fail(ConnectionFailure failure, string reason) => new(null, failure, reason);
}
