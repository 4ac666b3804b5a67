using Kiln.Drivers.Fault;
using Kiln.Server.Backends;

namespace Kiln.Cli.Commands.Config;

/// <summary>The drivers <c>kiln serve</c> registers (KilnApp); a new driver must be added in both places.</summary>
internal static class KnownDrivers
{
    public static DriverCatalog Catalog() => new([new FaultDriverFactory()]);
}
