using Microsoft.Extensions.Logging;

namespace Kiln.Core.Drivers;

/// <summary>What a driver gets from the service: its backend's options, a clock and a logger.</summary>
public sealed record DriverContext(BackendSection Options, TimeProvider TimeProvider, ILoggerFactory LoggerFactory)
{
    /// <summary>The backend's name (its section name in kiln.conf).</summary>
    public string BackendName => Options.Name;

    /// <summary>The service's data directory (<c>state_path</c>) as a full path, or null when the host has none.</summary>
    public string? StatePath { get; init; }

    /// <summary>The backend's <c>host@backend</c> name, as Cinder hands it to a driver's constructor; null when the host has none.</summary>
    public string? Host { get; init; }
}
