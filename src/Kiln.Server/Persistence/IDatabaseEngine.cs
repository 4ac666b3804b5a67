namespace Kiln.Server.Persistence;

/// <summary>
/// An engine that lives in its own assembly (Kiln.Persistence.PostgreSql): it turns a
/// <c>[database] connection</c> URL of its scheme into the engine's <see cref="DatabaseProvider"/>.
/// </summary>
internal interface IDatabaseEngine
{
    /// <exception cref="Configuration.KilnConfigurationException">The URL is not valid for the engine.</exception>
    DatabaseProvider Create(string connection);
}
