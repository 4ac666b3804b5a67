using Kiln.Server.Messages;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>User messages in the database; written by the volume and snapshot repositories with the status they explain.</summary>
internal sealed class EfUserMessageRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes) : IUserMessageRepository
{
    public async Task<IReadOnlyList<UserMessage>> ListAsync(string? projectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var scope = projectId is null ? db.Messages : db.Messages.Where(m => m.ProjectId == projectId);

            // Timestamps are stored as fixed-width UTC text, so the comparison and the order work in SQL.
            var rows = await scope.AsNoTracking().Where(m => m.ExpiresAt > now)
                .OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(m => m.ToMessage());
        }
    }

    public async Task<UserMessage?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
            return row?.ToMessage();
        }
    }

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) =>
        writes.RunAsync(async (db, ct) => await db.Messages.Where(m => m.Id == id).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0, cancellationToken);
}
