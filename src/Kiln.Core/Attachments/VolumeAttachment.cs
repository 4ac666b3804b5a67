namespace Kiln.Core.Attachments;

/// <summary>
/// One attachment of a volume to a consumer (Cinder's <c>volume_attachment</c> row): who it is for
/// (<see cref="InstanceUuid"/>), where it is connected (<see cref="AttachedHost"/>, the connector the
/// host sent) and how far it has got (<see cref="Status"/>).
/// </summary>
public sealed record VolumeAttachment
{
    /// <summary>Cinder's <c>attach_mode</c> before a mode is known: the literal text <c>null</c>, as Cinder stores it.</summary>
    public const string NoMode = "null";

    public required string Id { get; init; }

    public required string VolumeId { get; init; }

    /// <summary>The server (or any consumer's id) the volume is attached to; null for a legacy attach to a host.</summary>
    public string? InstanceUuid { get; init; }

    /// <summary>The connector's <c>host</c> once a connection was made.</summary>
    public string? AttachedHost { get; init; }

    public string? Mountpoint { get; init; }

    public DateTimeOffset? AttachTime { get; init; }

    public DateTimeOffset? DetachTime { get; init; }

    public required AttachStatus Status { get; init; }

    /// <summary><c>rw</c>, <c>ro</c>, or <see cref="NoMode"/> until a connection decides it.</summary>
    public string AttachMode { get; init; } = NoMode;

    /// <summary>The connection info given to the host, as JSON (null until a connection was made).</summary>
    public string? ConnectionInfo { get; init; }

    /// <summary>The connector the host sent, as JSON (null until a connection was made); needed to end the connection.</summary>
    public string? Connector { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
