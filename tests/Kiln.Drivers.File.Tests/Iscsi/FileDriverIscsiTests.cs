using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Drivers.File.Iscsi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>
/// The file driver as <c>kiln serve</c> builds it (the public factory, so the real tgt exporter) against a
/// tgtd of the test's own: a raw volume's bytes reach a host over iSCSI, terminate removes the target,
/// and a new driver (a restart) restores the export after tgtd lost it.
/// </summary>
public sealed class FileDriverIscsiTests : IAsyncLifetime
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-file-iscsi-");
    private readonly FileDriverFactory factory = new();
    private readonly List<IVolumeDriver> drivers = [];
    private TgtDaemon tgtd = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => tgtd = await TgtDaemon.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var driver in drivers)
        {
            await driver.DisposeAsync();
        }

        // The factory stops a tgtd it started; the test's own tgtd answered, so it started none.
        await factory.DisposeAsync();
        await tgtd.DisposeAsync();
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task RawVolume_InitializeConnection_HostReadsTheFileOverIscsiUntilTerminated()
    {
        var driver = await ReadyDriverAsync();
        var volume = new VolumeRef(Guid.NewGuid().ToString(), 1);
        await driver.CreateVolumeAsync(volume, Token);
        var path = Path.Combine(dir.FullName, $"volume-{volume.Id}.raw");
        await Tool.WritePatternAsync(path, "raw", 0x5a);

        var info = await driver.InitializeConnectionAsync(volume, Initiator.Connector, Token);

        info.DriverVolumeType.ShouldBe("iscsi");
        info.Data["auth_method"].ShouldBe("CHAP");
        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(1L << 30);
        (await Initiator.QemuIoAsync(Initiator.Url(info), "read -P 0x5a 0 1M")).Succeeded.ShouldBeTrue();
        (await Initiator.QemuIoAsync(Initiator.Url(info), "read -P 0x00 0 1M")).Succeeded.ShouldBeFalse("the read above must be able to fail");

        await driver.TerminateConnectionAsync(volume, Initiator.Connector, Token);

        (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput.ShouldNotContain(volume.Id);
        (await Initiator.ReadCapacityRawAsync(Initiator.Url(info))).Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task RawVolume_TgtdRestartedThenKilnRestarted_SetupRestoresTheSameTarget()
    {
        var before = await ReadyDriverAsync();
        var volume = new VolumeRef(Guid.NewGuid().ToString(), 1);
        await before.CreateVolumeAsync(volume, Token);
        var info = await before.InitializeConnectionAsync(volume, Initiator.Connector, Token);
        await tgtd.RestartAsync();
        (await Initiator.ReadCapacityRawAsync(Initiator.Url(info))).Succeeded.ShouldBeFalse("tgtd lost its targets");

        await ReadyDriverAsync();

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(1L << 30);
    }

    private async Task<IVolumeDriver> ReadyDriverAsync()
    {
        var options = new Dictionary<string, string>
        {
            ["file_volumes_dir"] = dir.FullName,
            [IscsiOptions.TgtControlPort] = tgtd.ControlPort.ToString(CultureInfo.InvariantCulture),
            [IscsiOptions.TargetPort] = tgtd.PortalPort.ToString(CultureInfo.InvariantCulture),
        };
        var driver = factory.Create(new DriverContext(new BackendSection("files", options), TimeProvider.System, NullLoggerFactory.Instance));
        drivers.Add(driver);
        await driver.SetupAsync(Token);
        await driver.CheckForSetupErrorAsync(Token);
        return driver;
    }
}
