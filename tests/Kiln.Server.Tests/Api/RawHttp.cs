using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Kiln.Server.Tests.Api;

/// <summary>A response read off the wire: status, headers (lower-case names) and body.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body as Cinder's fault: its name, code and message; fails the test when it is not one.</summary>
    public (string Name, int Code, string Message) Fault()
    {
        Body.ShouldNotBeEmpty($"HTTP {Status} came with an empty body");
        Headers.GetValueOrDefault("content-type", string.Empty).ShouldStartWith("application/json");
        var fault = JsonDocument.Parse(Body).RootElement.EnumerateObject().Single();
        return (fault.Name, fault.Value.GetProperty("code").GetInt32(), fault.Value.GetProperty("message").GetString()!);
    }
}

/// <summary>
/// Requests written byte for byte on a socket, for what HttpClient will not send as given (<c>..</c>
/// segments, <c>%00</c>, a stalled body, a URL over Kestrel's limits).
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, no final blank line) and <paramref name="body"/>, then reads the whole response.</summary>
    public static async Task<RawResponse> SendAsync(TestServer server, string head, string body = "")
    {
        using var tcp = new TcpClient();
        var address = server.Client.BaseAddress!;
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var bytes = Encoding.UTF8.GetBytes($"{head}\r\nHost: {address.Authority}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(body), TestContext.Current.CancellationToken);
        }
        catch (IOException)
        {
            // The server answered and closed before taking the whole body (413): read what it said.
        }
        return Parse(await ReadToEndAsync(stream));
    }

    /// <summary>Reads until the server closes the connection (or 20 s pass, which fails the test).</summary>
    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(chunk, timeout.Token);
            }
            catch (IOException)
            {
                // A reset after the response (Kestrel closes a connection whose body it did not read).
                break;
            }

            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static RawResponse Parse(string text)
    {
        text.ShouldNotBeEmpty("the server closed the connection without answering");
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? string.Empty : text[(split + 4)..];
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            body = Unchunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var end = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..end], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(body, end + 2, size);
            position = end + 2 + size + 2;
        }

        return result.ToString();
    }
}
