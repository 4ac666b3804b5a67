using System.Text.Json;
using Kiln.Core.Drivers;

namespace Kiln.Server.Api;

/// <summary>
/// Reads Cinder's <c>connector</c> (what os-brick sends about the attaching host). Kiln uses
/// <c>host</c>, <c>initiator</c>, <c>ip</c> and <c>multipath</c>; other keys (<c>platform</c>,
/// <c>os_type</c>, <c>wwpns</c>, <c>nqn</c>, …) are accepted and ignored.
/// </summary>
internal static class ConnectorReader
{
    public static (ConnectorInfo? Connector, string? Error) Read(JsonElement element, bool nullMeansEveryHost)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null when nullMeansEveryHost:
                // Cinder: a null connector terminates the volume's connections to every host.
                return (new ConnectorInfo(null, null, null), null);
            case JsonValueKind.Object:
                break;
            default:
                return (null, BodyReader.Invalid(
                    "connector", element, "Kiln needs the connector as an object, for example {\"host\": \"compute-1\", \"initiator\": \"iqn.1993-08.org.debian:01:abc\", \"ip\": \"192.0.2.10\"}."));
        }

        var fields = new BodyReader(element, "connector");
        var host = fields.String("host");
        var initiator = fields.String("initiator");
        var ip = fields.String("ip");
        var multipath = fields.Boolean("multipath");
        return fields.Failed
            ? (null, fields.Error)
            : (new ConnectorInfo(host, initiator, ip) { Multipath = multipath ?? false }, null);
    }
}
