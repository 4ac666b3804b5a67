namespace Kiln.Core.Scheduling;

/// <summary>Orders pools by their full name without building it.</summary>
internal static class PoolNames
{
    /// <summary>
    /// Ordinal comparison of <c>x.Name</c> and <c>y.Name</c>. Comparing host then pool would differ when
    /// one host is a prefix of the other and the next character sorts before <c>#</c>.
    /// </summary>
    public static int Compare(PoolCandidate x, PoolCandidate y)
    {
        var xLength = x.BackendHost.Length + 1 + x.PoolName.Length;
        var yLength = y.BackendHost.Length + 1 + y.PoolName.Length;
        var common = Math.Min(xLength, yLength);
        for (var i = 0; i < common; i++)
        {
            var difference = CharAt(x, i) - CharAt(y, i);
            if (difference != 0)
            {
                return difference;
            }
        }

        return xLength - yLength;
    }

    private static char CharAt(PoolCandidate pool, int index)
    {
        var host = pool.BackendHost;
        if (index < host.Length)
        {
            return host[index];
        }

        return index == host.Length ? '#' : pool.PoolName[index - host.Length - 1];
    }
}
