namespace Kiln.Server.Persistence;

/// <summary>Whether the database answers at all; the readiness check asks it.</summary>
internal interface IDatabasePing
{
    /// <summary>Runs a trivial query; throws when the database cannot answer it.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
