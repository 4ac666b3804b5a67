using Kiln.Server.Persistence;

namespace Kiln.Persistence.PostgreSql;

/// <summary>Entry point Kiln.Server loads by name (<see cref="DatabaseProvider.PostgreSqlEngine"/>) for <c>postgresql://</c> connections.</summary>
internal sealed class PostgreSqlEngine : IDatabaseEngine
{
    public DatabaseProvider Create(string connection) => PostgreSqlDatabaseProvider.FromUrl(connection);
}
