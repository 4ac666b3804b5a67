namespace Kiln.Server.Types;

/// <summary>Log lines of QoS specs, type access, type encryption and default types (EventIds 2150–2199).</summary>
internal static partial class TypeExtrasLog
{
    [LoggerMessage(2150, LogLevel.Information, "QoS specs {Id} ({Name}) created for consumer {Consumer}")]
    public static partial void QosCreated(ILogger logger, string id, string name, string consumer);

    [LoggerMessage(2151, LogLevel.Information, "QoS specs {Id} deleted (force: {Force})")]
    public static partial void QosDeleted(ILogger logger, string id, bool force);

    [LoggerMessage(2152, LogLevel.Information, "QoS specs {Id} associated with volume type {TypeId}")]
    public static partial void QosAssociated(ILogger logger, string id, string typeId);

    [LoggerMessage(2153, LogLevel.Information, "Volume type {TypeId}: access {Change} for project {ProjectId}")]
    public static partial void AccessChanged(ILogger logger, string typeId, string change, string projectId);

    [LoggerMessage(2154, LogLevel.Information, "Volume type {TypeId}: encryption {Change}")]
    public static partial void EncryptionChanged(ILogger logger, string typeId, string change);

    [LoggerMessage(2155, LogLevel.Information, "Project {ProjectId}: default volume type {Change} {TypeId}")]
    public static partial void DefaultTypeChanged(ILogger logger, string projectId, string change, string? typeId);
}
