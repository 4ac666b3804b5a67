namespace Kiln.Cli.Commands.Common;

/// <summary>Finds one resource from an id or a name, as the cinder client does: an ambiguous name is an error, never a guess.</summary>
internal static class Resolver
{
    public static async Task<T> OneAsync<T>(
        string kind,
        string idOrName,
        Func<string, CancellationToken, Task<T?>> findById,
        Func<string, CancellationToken, Task<IReadOnlyList<T>>> listByName,
        Func<T, string> idOf,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(findById);
        ArgumentNullException.ThrowIfNull(listByName);
        // Ids are UUIDs; anything else can only be a name, so skip the lookup that would answer 404.
        if (Guid.TryParse(idOrName, out _) && await findById(idOrName, cancellationToken).ConfigureAwait(false) is { } byId)
        {
            return byId;
        }

        var named = await listByName(idOrName, cancellationToken).ConfigureAwait(false);
        return named.Count switch
        {
            1 => named[0],
            0 => throw new CliException(ExitCodes.NotFound, $"no {kind} has the id or name '{idOrName}'"),
            _ => throw new CliException(
                ExitCodes.Conflict,
                $"{named.Count} {kind}s are named '{idOrName}' ({string.Join(", ", named.Select(idOf))}): give the id instead"),
        };
    }
}
