namespace Kiln.Core.Scheduling;

/// <summary>Builds the error a user sees when no pool can take a volume; only runs when placement failed.</summary>
internal static class NoValidBackendReport
{
    private const string Prefix = "No valid backend was found: ";

    public static NoValidBackend Build(IReadOnlyList<PoolCandidate> pools, FilterChain filters)
    {
        if (pools.Count == 0)
        {
            return new NoValidBackend(Prefix + "no volume backends are configured", []);
        }

        var exclusions = new Exclusion[pools.Count];
        for (var i = 0; i < exclusions.Length; i++)
        {
            var pool = pools[i];
            var reason = filters.Explain(pool)
                ?? throw new InvalidOperationException($"Pool {pool.Name} passes every filter but was not placed.");
            exclusions[i] = new Exclusion(pool.Name, reason);
        }

        // A stable sort: two candidates with the same name keep their given order.
        Exclusion[] ordered = [.. exclusions.OrderBy(e => e.Pool, StringComparer.Ordinal)];
        var message = Prefix + string.Join("; ", ordered.Select(e => $"{e.Pool}: {e.Reason}"));
        return new NoValidBackend(message, ordered);
    }
}
