namespace Kiln.Server.Persistence;

/// <summary>Volume counts for metrics: one grouped query, not a list of rows.</summary>
internal interface IVolumeCounts
{
    /// <summary>How many volumes there are per placement (<c>host@backend#pool</c>, or null when unplaced) and status.</summary>
    Task<IReadOnlyList<VolumeCount>> CountByHostAndStatusAsync(CancellationToken cancellationToken);
}

/// <summary>The number of volumes placed on <paramref name="Host"/> (null: not placed) in <paramref name="Status"/> (wire name).</summary>
internal sealed record VolumeCount(string? Host, string Status, long Count);
