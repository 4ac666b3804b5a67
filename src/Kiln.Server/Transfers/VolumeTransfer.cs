namespace Kiln.Server.Transfers;

/// <summary>
/// A volume offered to another project (Cinder's <c>transfers</c> row). The auth key itself is never
/// stored: only <see cref="Salt"/> and <see cref="CryptHash"/>, Cinder's HMAC-SHA1 of the key keyed by the
/// salt, so a database dump does not let anyone accept a pending transfer.
/// </summary>
public sealed record VolumeTransfer
{
    public required string Id { get; init; }

    public required string VolumeId { get; init; }

    public string? Name { get; init; }

    public required string Salt { get; init; }

    public required string CryptHash { get; init; }

    /// <summary>3.55: the volume moves alone; its snapshots stay with the donor project.</summary>
    public bool NoSnapshots { get; init; }

    /// <summary>The project that owned the volume when the transfer was created.</summary>
    public required string SourceProjectId { get; init; }

    /// <summary>The project that accepted it; null until accepted.</summary>
    public string? DestinationProjectId { get; init; }

    public bool Accepted { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
