using Kiln.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kiln.Server.Tests.Hosting;

/// <summary>Work kept out of start-up because nothing needs it before the API answers.</summary>
public sealed class StartupWorkTests
{
    [Fact]
    public async Task DashboardKeyRing_IsLoadedByTheFirstPageThatNeedsIt_NotAtStart()
    {
        await using var server = await TestServer.StartAsync("fast", VolumeApi.OneBackend);
        var keys = Path.Combine(server.Directory, "data", "dashboard-keys");

        server.Service<IEnumerable<IHostedService>>().Select(s => s.GetType().Name).ShouldNotContain("DataProtectionHostedService");
        (Directory.Exists(keys) ? Directory.GetFiles(keys, "*.xml") : []).ShouldBeEmpty();

        // The page carries an antiforgery token for its re-init buttons: the key ring is made then.
        var page = await server.Client.GetAsync(new Uri("/dashboard", UriKind.Relative), TestContext.Current.CancellationToken);
        page.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("X-CSRF-Token");
        Directory.GetFiles(keys, "*.xml").Length.ShouldBe(1);
    }
}
