using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kiln.Persistence.PostgreSql;

/// <summary>
/// Lets the dotnet-ef tool build the PostgreSQL model without a server:
/// <c>dotnet ef migrations add NAME --project src/Kiln.Persistence.PostgreSql --output-dir Migrations</c>.
/// Adding a migration never connects; <c>KILN_PG_DESIGN_CONNECTION</c> names a server for the commands that do.
/// </summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<KilnDbContext>
{
    public KilnDbContext CreateDbContext(string[] args)
    {
        var provider = PostgreSqlDatabaseProvider.FromUrl(
            Environment.GetEnvironmentVariable("KILN_PG_DESIGN_CONNECTION") ?? "postgresql://kiln@localhost:5432/kiln");
        var options = new DbContextOptionsBuilder<KilnDbContext>();
        provider.Configure(options);
        return new KilnDbContext(options.Options);
    }
}
