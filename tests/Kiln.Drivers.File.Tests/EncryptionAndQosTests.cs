using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tests;

/// <summary>What the file driver does with a volume type's encryption (refuses it) and QoS specs (ignores them, and says so).</summary>
public sealed class EncryptionAndQosTests : IDisposable
{
    private static readonly VolumeEncryption Luks = new("LuksEncryptor", "aes-xts-plain64", 256, "front-end");

    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task CreateVolumeAsync_EncryptedType_RefusedAndNoFile()
    {
        var driver = await bed.ReadyDriverAsync();

        var error = await Should.ThrowAsync<DriverException>(() => driver.CreateVolumeAsync(new VolumeRef("vol1", 1) { Encryption = Luks }, FileTestBed.Token));

        error.Message.ShouldBe("the file driver cannot create encrypted volumes (volume type encryption provider LuksEncryptor); use an unencrypted volume type");
        Directory.GetFiles(bed.VolumesDir).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateCloneAsync_EncryptedType_RefusedAndNoClone()
    {
        var driver = await bed.ReadyDriverAsync();
        await driver.CreateVolumeAsync(new VolumeRef("src", 1), FileTestBed.Token);

        await Should.ThrowAsync<DriverException>(() => driver.CreateCloneAsync(new VolumeRef("vol1", 1) { Encryption = Luks }, new VolumeRef("src", 1), FileTestBed.Token));

        System.IO.File.Exists(bed.VolumePath("vol1", "raw")).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateVolumeAsync_QosSpecs_IgnoredAndStatsSayNoQosSupport()
    {
        var driver = await bed.ReadyDriverAsync();

        await driver.CreateVolumeAsync(new VolumeRef("vol1", 1) { QosSpecs = new Dictionary<string, string> { ["total_iops_sec"] = "500" } }, FileTestBed.Token);

        System.IO.File.Exists(bed.VolumePath("vol1", "raw")).ShouldBeTrue();
        (await driver.GetStatsAsync(FileTestBed.Token)).Pools.Single().Capabilities["QoS_support"].ShouldBe("False");
    }
}
