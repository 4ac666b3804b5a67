namespace Kiln.Server.Persistence;

/// <summary>An availability zone and when it was first seen.</summary>
internal sealed record StoredAvailabilityZone(string Name, DateTimeOffset CreatedAt);
