using System.Globalization;
using Kiln.Server.Configuration;
using RabbitMQ.Client;

namespace Kiln.Server.Messaging.Rabbit;

/// <summary>
/// <c>transport_url</c> in oslo.messaging's form, <c>rabbit://user:pass@host:port[,user:pass@host2:port]/vhost</c>:
/// the brokers to try in turn, the credentials (of the first host that names them) and the virtual host.
/// </summary>
internal sealed record RabbitTransport(IReadOnlyList<AmqpTcpEndpoint> Endpoints, string UserName, string Password, string VirtualHost)
{
    private const string Scheme = "rabbit://";

    /// <summary>The brokers for log lines: host:port, without credentials.</summary>
    public string Display => string.Join(",", Endpoints.Select(e => $"{e.HostName}:{e.Port.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Parses <c>transport_url</c>; an empty value means in-process messaging (null).</summary>
    public static Parsed<RabbitTransport?> Parse(string text)
    {
        const string Expected = "expected rabbit://user:password@host:port/ (several host:port separated by ',' allowed)";
        if (string.IsNullOrEmpty(text))
        {
            return Parsed<RabbitTransport?>.Ok(null);
        }

        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Parsed<RabbitTransport?>.Invalid(Expected);
        }

        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hosts = slash < 0 ? rest : rest[..slash];
        var virtualHost = slash < 0 || slash == rest.Length - 1 ? "/" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        string? user = null;
        string? password = null;
        var endpoints = new List<AmqpTcpEndpoint>();
        foreach (var part in hosts.Split(',', StringSplitOptions.TrimEntries))
        {
            var at = part.LastIndexOf('@');
            var address = at < 0 ? part : part[(at + 1)..];
            if (at >= 0 && user is null)
            {
                var credentials = part[..at];
                var colon = credentials.IndexOf(':', StringComparison.Ordinal);
                user = Uri.UnescapeDataString(colon < 0 ? credentials : credentials[..colon]);
                password = colon < 0 ? string.Empty : Uri.UnescapeDataString(credentials[(colon + 1)..]);
            }

            if (ParseAddress(address) is not { } endpoint)
            {
                return Parsed<RabbitTransport?>.Invalid(Expected);
            }

            endpoints.Add(endpoint);
        }

        return Parsed<RabbitTransport?>.Ok(new RabbitTransport(endpoints, user ?? "guest", password ?? "guest", virtualHost));
    }

    private static AmqpTcpEndpoint? ParseAddress(string address)
    {
        // [v6]:port, host:port or host alone (5672, AMQP's port).
        var portAt = address.LastIndexOf(':');
        var host = address;
        var port = AmqpTcpEndpoint.UseDefaultPort;
        if (portAt > address.LastIndexOf(']'))
        {
            if (!int.TryParse(address[(portAt + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return null;
            }

            host = address[..portAt];
        }

        host = host.Trim('[', ']');
        return host.Length == 0 ? null : new AmqpTcpEndpoint(host, port);
    }
}
