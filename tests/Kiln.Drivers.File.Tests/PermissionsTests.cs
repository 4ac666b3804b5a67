using System.Runtime.Versioning;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tests;

/// <summary>
/// Volume files hold guests' disks: 0600 files in a 0700 directory by default (they were 0644 / 0755, so
/// any local user could read them), group access with <c>nas_secure_file_permissions = false</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PermissionsTests : IDisposable
{
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAndGroup = Owner | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
    private const UnixFileMode OwnerDir = Owner | UnixFileMode.UserExecute;
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Theory]
    [InlineData("raw")]
    [InlineData("qcow2")]
    public async Task NewFiles_Default_AreTheOwnersAloneAndTheDirectoryToo(string format)
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", format));

        await CreateEveryKindAsync(driver);

        foreach (var path in Directory.EnumerateFiles(bed.VolumesDir, "*-*"))
        {
            System.IO.File.GetUnixFileMode(path).ShouldBe(Owner, path);
        }

        System.IO.File.GetUnixFileMode(bed.VolumesDir).ShouldBe(OwnerDir);
    }

    [Fact]
    public async Task NewFiles_SecurePermissionsFalse_GiveTheGroupReadAndWriteButNotOthers()
    {
        var driver = await bed.ReadyDriverAsync(("nas_secure_file_permissions", "false"));

        await CreateEveryKindAsync(driver);

        foreach (var path in Directory.EnumerateFiles(bed.VolumesDir, "*-*"))
        {
            System.IO.File.GetUnixFileMode(path).ShouldBe(OwnerAndGroup, path);
        }
    }

    [Fact]
    public async Task DefaultDirectory_CreatedBySetup_IsTheOwnersAlone()
    {
        var statePath = Path.Combine(bed.Root, "state");
        var driver = bed.CreateDriver(FileTestBed.Section("fast"), statePath);

        await driver.SetupAsync(FileTestBed.Token);

        System.IO.File.GetUnixFileMode(Path.Combine(statePath, "volumes", "fast")).ShouldBe(OwnerDir);
    }

    [Fact]
    public async Task Setup_ExistingWorldReadableFiles_AreTightenedAndSaidSo()
    {
        var old = bed.VolumePath("old", "raw");
        await System.IO.File.WriteAllBytesAsync(old, new byte[512], FileTestBed.Token);
        System.IO.File.SetUnixFileMode(old, Owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        System.IO.File.SetUnixFileMode(bed.VolumesDir, OwnerDir | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await bed.CreateDriver().SetupAsync(FileTestBed.Token);

        System.IO.File.GetUnixFileMode(old).ShouldBe(Owner);
        System.IO.File.GetUnixFileMode(bed.VolumesDir).ShouldBe(OwnerDir);
        bed.Logs.Lines.ShouldContain($"Warning: Backend file1: made 2 volume files and directories in {bed.VolumesDir} readable by their owner only (nas_secure_file_permissions = true)");
    }

    [Fact]
    public async Task Setup_SecurePermissionsFalse_LeavesExistingModesAlone()
    {
        var old = bed.VolumePath("old", "raw");
        await System.IO.File.WriteAllBytesAsync(old, new byte[512], FileTestBed.Token);
        System.IO.File.SetUnixFileMode(old, Owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await bed.CreateDriver(("nas_secure_file_permissions", "false")).SetupAsync(FileTestBed.Token);

        System.IO.File.GetUnixFileMode(old).ShouldBe(Owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    public void Option_AcceptsCindersValues(string value, bool secure) =>
        bed.CreateDriver(("nas_secure_file_permissions", value)).Options.SecurePermissions.ShouldBe(secure);

    [Fact]
    public void Option_BadValue_IsAConfigurationErrorNamingIt() =>
        Should.Throw<DriverConfigurationException>(() => bed.CreateDriver(("nas_secure_file_permissions", "maybe")))
            .Message.ShouldContain("nas_secure_file_permissions");

    private static async Task CreateEveryKindAsync(FileDriver driver)
    {
        var source = new VolumeRef("src", 1);
        await driver.CreateVolumeAsync(source, FileTestBed.Token);
        var snapshot = new SnapshotRef("snap", source) { SizeGb = 1 };
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);
        await driver.CreateCloneAsync(new VolumeRef("clone", 1), source, FileTestBed.Token);
        await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("fromsnap", 2), snapshot, FileTestBed.Token);
    }
}
