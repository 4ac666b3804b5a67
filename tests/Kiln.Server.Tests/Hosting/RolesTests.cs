using Kiln.Server.Configuration;
using Kiln.Server.Hosting;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Hosting;

/// <summary><c>kiln serve --roles</c>: which roles a process runs, and the start-up stages it logs.</summary>
public sealed class RolesTests
{
    [Theory]
    [InlineData("api,scheduler,volume", KilnRoles.All)]
    [InlineData("all", KilnRoles.All)]
    [InlineData("api", KilnRoles.Api)]
    [InlineData(" scheduler , VOLUME ", KilnRoles.Scheduler | KilnRoles.Volume)]
    [InlineData("api,api", KilnRoles.Api)]
    public void Parse_KnownRoles(string text, KilnRoles expected) => KilnRoleNames.Parse(text).ShouldBe(expected);

    [Theory]
    [InlineData("apy", "--roles: unknown role 'apy'; expected a comma-separated list of api, scheduler, volume (or all)")]
    [InlineData(",", "--roles: no role given; expected a comma-separated list of api, scheduler, volume (or all)")]
    public void Parse_BadRoles_NamesTheProblem(string text, string message) =>
        Should.Throw<KilnConfigurationException>(() => KilnRoleNames.Parse(text)).Message.ShouldBe(message);

    [Fact]
    public void Build_SubsetWithoutTransportUrl_IsRefusedWithAClearMessage()
    {
        var configuration = KilnConfigurationLoader.Load(null, new Dictionary<string, string>());

        Should.Throw<KilnConfigurationException>(() => KilnApp.Build(configuration, roles: KilnRoles.Api | KilnRoles.Scheduler)).Message.ShouldBe(
            "--roles api,scheduler needs transport_url (RabbitMQ) in [DEFAULT]: with in-process messaging only all three roles in one process can talk to each other");
    }

    [Fact]
    public async Task Start_LogsTheNamedStagesInOrder()
    {
        var logs = new LogRecorder();
        await using var server = await TestServer.StartAsync("fast", VolumeApi.OneBackend, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));

        var stages = logs.WithId(2620).Select(l => l.Message).ToList();
        stages.Count.ShouldBe(4);
        stages[0].ShouldStartWith("Start-up stage 1/4 database: SQLite under the data directory");
        stages[1].ShouldBe("Start-up stage 2/4 messaging: in-process");
        stages[2].ShouldBe("Start-up stage 3/4 roles: api, scheduler, volume");
        stages[3].ShouldStartWith("Start-up stage 4/4 listeners: http://127.0.0.1:");
    }
}
