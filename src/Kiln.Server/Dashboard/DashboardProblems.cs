using Kiln.Server.Messages;
using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Dashboard;

/// <summary>The latest user messages and volumes in error, every project's: what went wrong for users, newest first.</summary>
internal sealed class DashboardProblems(IDbContextFactory<KilnDbContext> contexts, IUserMessageRepository messages, TimeProvider timeProvider)
{
    /// <summary>How many of each the page shows: the latest matter at 3 a.m., the API has the rest.</summary>
    public const int Shown = 20;

    public async Task<IReadOnlyList<UserMessage>> MessagesAsync(CancellationToken cancellationToken)
    {
        var all = await messages.ListAsync(null, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return [.. all.Take(Shown)];
    }

    public async Task<IReadOnlyList<ErrorVolume>> VolumesInErrorAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            // Timestamps are fixed-width UTC text, so the order works in SQL.
            return await db.Volumes.AsNoTracking()
                .Where(v => v.Status == "error" || v.Status == "error_deleting" || v.Status == "error_extending" || v.Status == "error_restoring")
                .OrderByDescending(v => v.UpdatedAt ?? v.CreatedAt)
                .Take(Shown)
                .Select(v => new ErrorVolume(v.Id, v.ProjectId, v.Name, v.Status, v.Host, v.Size, v.ErrorReason, v.CreatedAt, v.UpdatedAt))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One volume by id, for the page's link to its JSON; null when there is none.</summary>
    public async Task<ErrorVolume?> VolumeAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.Volumes.AsNoTracking().Where(v => v.Id == id)
                .Select(v => new ErrorVolume(v.Id, v.ProjectId, v.Name, v.Status, v.Host, v.Size, v.ErrorReason, v.CreatedAt, v.UpdatedAt))
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A volume as the dashboard lists and links it (its JSON at <c>/dashboard/volumes/{id}</c>).</summary>
internal sealed record ErrorVolume(
    string Id, string ProjectId, string? Name, string Status, string? Host, int Size, string? ErrorReason, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);
