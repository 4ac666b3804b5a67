using System.Net;
using Kiln.Server.Configuration;
using Kiln.Server.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Dashboard.Tests;

/// <summary>
/// Under noauth the dashboard answers loopback callers only. Checked in process with the caller's address
/// set on the connection: a real call from another address would need a non-loopback interface, which
/// neither every machine has nor the tests may use.
/// </summary>
public sealed class DashboardLoopbackTests
{
    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::10")]
    [InlineData("::ffff:192.0.2.10")]
    public async Task Noauth_CallerNotOnLoopback_Refused403(string address)
    {
        var http = Context(IPAddress.Parse(address));

        var (caller, refusal) = await DashboardAccess.CheckAsync(http);

        caller.ShouldBeNull();
        refusal.ShouldNotBeNull();
        await refusal.ExecuteAsync(http);
        http.Response.StatusCode.ShouldBe(StatusCodes.Status403Forbidden);
        http.Response.Body.Position = 0;
        (await new StreamReader(http.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken)).ShouldContain("Loopback only");
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.10", false)]
    [InlineData("::ffff:192.0.2.10", false)]
    public void IsLoopback_ByAddress(string address, bool loopback) =>
        DashboardAccess.IsLoopback(IPAddress.Parse(address)).ShouldBe(loopback);

    [Fact]
    public void IsLoopback_UnknownCaller_NotLoopback() => DashboardAccess.IsLoopback(null).ShouldBeFalse();

    private static DefaultHttpContext Context(IPAddress remote)
    {
        var configuration = KilnConfigurationLoader.Load(null, new Dictionary<string, string>());
        configuration.Identity.Keystone.ShouldBeNull("the embedded defaults run noauth");
        var services = new ServiceCollection().AddLogging().AddSingleton(configuration).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Connection.RemoteIpAddress = remote;
        http.Request.Path = "/dashboard";
        http.Response.Body = new MemoryStream();
        return http;
    }
}
