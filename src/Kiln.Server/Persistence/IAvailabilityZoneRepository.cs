namespace Kiln.Server.Persistence;

/// <summary>The availability zones Kiln's nodes serve (os-availability-zone).</summary>
internal interface IAvailabilityZoneRepository
{
    /// <summary>Records <paramref name="name"/> unless it is already known.</summary>
    Task EnsureAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every zone, by name.</summary>
    Task<IReadOnlyList<StoredAvailabilityZone>> ListAsync(CancellationToken cancellationToken);
}
