using Kiln.Server.Configuration;

namespace Kiln.Server.Hosting;

/// <summary>The roles one <c>kiln serve</c> process runs (Cinder's cinder-api, cinder-scheduler, cinder-volume).</summary>
[Flags]
public enum KilnRoles
{
    None = 0,

    /// <summary>The Cinder v3 API (the listener serves health and metrics in every case).</summary>
    Api = 1,

    /// <summary>Consumes the scheduler queue and places volumes and groups.</summary>
    Scheduler = 2,

    /// <summary>Runs this node's backends and consumes their queues.</summary>
    Volume = 4,

    All = Api | Scheduler | Volume,
}

/// <summary>Parses and prints <c>--roles api,scheduler,volume</c>.</summary>
public static class KilnRoleNames
{
    private static readonly (string Name, KilnRoles Role)[] Names = [("api", KilnRoles.Api), ("scheduler", KilnRoles.Scheduler), ("volume", KilnRoles.Volume)];

    /// <summary>Parses a comma-separated list of roles; <c>all</c> means all three.</summary>
    public static KilnRoles Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var roles = KilnRoles.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(part, "all", StringComparison.OrdinalIgnoreCase))
            {
                roles |= KilnRoles.All;
                continue;
            }

            var match = Array.Find(Names, n => string.Equals(n.Name, part, StringComparison.OrdinalIgnoreCase));
            roles |= match.Name is null
                ? throw new KilnConfigurationException($"--roles: unknown role '{part}'; expected a comma-separated list of api, scheduler, volume (or all)")
                : match.Role;
        }

        return roles == KilnRoles.None ? throw new KilnConfigurationException("--roles: no role given; expected a comma-separated list of api, scheduler, volume (or all)") : roles;
    }

    /// <summary><c>api, scheduler, volume</c>, in that order.</summary>
    public static string Format(KilnRoles roles) => string.Join(", ", Names.Where(n => roles.HasFlag(n.Role)).Select(n => n.Name));

    /// <summary>
    /// Refuses a subset of the roles without a broker: with in-process messaging the roles of one process
    /// can only talk to each other, so an API without a scheduler in the same process would queue
    /// requests nobody reads.
    /// </summary>
    public static void Validate(KilnRoles roles, KilnConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (roles != KilnRoles.All && configuration.TransportUrl is null)
        {
            throw new KilnConfigurationException(
                $"--roles {Format(roles).Replace(" ", string.Empty, StringComparison.Ordinal)} needs transport_url (RabbitMQ) in [DEFAULT]: with in-process messaging only all three roles in one process can talk to each other");
        }
    }
}
