namespace Kiln.Server.Persistence;

/// <summary>Log lines of the persistence layer.</summary>
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Information, "Database {Database}: applying {Count} migrations: {Migrations}")]
    public static partial void ApplyingMigrations(ILogger logger, string database, int count, string migrations);

    [LoggerMessage(1101, LogLevel.Information, "Database {Database}: schema up to date ({Migration})")]
    public static partial void SchemaUpToDate(ILogger logger, string database, string migration);
}
