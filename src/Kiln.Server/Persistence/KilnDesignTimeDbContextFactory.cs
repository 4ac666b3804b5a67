using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kiln.Server.Persistence;

/// <summary>
/// Lets the dotnet-ef tool build the model without starting Kiln:
/// <c>dotnet ef migrations add NAME --project src/Kiln.Server --output-dir Persistence/Migrations</c>.
/// </summary>
internal sealed class KilnDesignTimeDbContextFactory : IDesignTimeDbContextFactory<KilnDbContext>
{
    public KilnDbContext CreateDbContext(string[] args)
    {
        // Adding a migration never opens the database; commands that do (database update) work on a scratch file.
        var provider = DatabaseProvider.FromConnection(connection: null, Path.Combine(Path.GetTempPath(), "kiln-design-time"));
        var options = new DbContextOptionsBuilder<KilnDbContext>();
        provider.Configure(options);
        return new KilnDbContext(options.Options);
    }
}
