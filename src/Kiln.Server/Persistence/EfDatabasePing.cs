using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Pings the database with <c>SELECT 1</c>, which every supported database answers without touching a table.</summary>
internal sealed class EfDatabasePing(IDbContextFactory<KilnDbContext> contexts) : IDatabasePing
{
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken).ConfigureAwait(false);
        }
    }
}
