namespace Kiln.Server.Persistence;

/// <summary>What <see cref="PersistenceSetup.MigrateAsync"/> makes sure exists besides the schema.</summary>
internal sealed record DatabaseSeed(string AvailabilityZone);
