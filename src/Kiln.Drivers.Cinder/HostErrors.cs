using System.Text.Json;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// Maps the host's error kinds onto Kiln's taxonomy. The host classifies the Python exception (it knows the
/// classes); Kiln only translates, so the table lives in one place per side (docs/drivers/cinder.md).
/// </summary>
internal static class HostErrors
{
    public const string Configuration = "configuration";
    public const string Dependency = "dependency";
    public const string NotSupported = "not_supported";
    public const string NotImplemented = "not_implemented";

    public static Exception ToException(string method, JsonElement error)
    {
        var kind = Text(error, "kind");
        var type = Text(error, "type") ?? "Exception";
        var message = $"{method}: {type}: {Text(error, "message")}";
        return kind switch
        {
            Configuration => new DriverConfigurationException(message),
            Dependency => new DriverDependencyException(message),
            NotSupported => new DriverNotSupportedException(message),
            NotImplemented => new NotSupportedException(message),
            _ => new DriverException(message),
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
