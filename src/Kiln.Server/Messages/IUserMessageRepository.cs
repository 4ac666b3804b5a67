namespace Kiln.Server.Messages;

/// <summary>User messages in the database.</summary>
internal interface IUserMessageRepository
{
    /// <summary>The project's messages that have not expired at <paramref name="now"/>, newest first (every project's when <paramref name="projectId"/> is null).</summary>
    Task<IReadOnlyList<UserMessage>> ListAsync(string? projectId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<UserMessage?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes a message; false when there was none.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);
}
