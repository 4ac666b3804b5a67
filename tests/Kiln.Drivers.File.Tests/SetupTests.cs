using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tests;

/// <summary>Initialization and the error taxonomy: what is unrecoverable, what is worth retrying, and why.</summary>
public sealed class SetupTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    public static TheoryData<string, string, string> BadOptions => new()
    {
        { "file_volume_format", "vmdk", "[file1] file_volume_format = 'vmdk' is invalid: expected raw or qcow2" },
        { "max_over_subscription_ratio", "0.5", "[file1] max_over_subscription_ratio = '0.5' is invalid: expected a number >= 1.0" },
        { "max_over_subscription_ratio", "auto", "[file1] max_over_subscription_ratio = 'auto' is invalid" },
        { "max_over_subscription_ratio", "NaN", "[file1] max_over_subscription_ratio = 'NaN' is invalid" },
        { "file_require_mountpoint", "maybe", "[file1] file_require_mountpoint = 'maybe' is invalid: expected true or false" },
        { "reserved_percentage", "101", "[file1] reserved_percentage = '101' is invalid: expected an integer between 0 and 100" },
        { "file_volumes_dir", "relative/dir", "[file1] file_volumes_dir = 'relative/dir' is invalid: expected an absolute path" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Create_InvalidOption_ThrowsConfigurationErrorNamingOptionAndValue(string option, string value, string expected)
    {
        var section = FileTestBed.Section("file1", ("file_volumes_dir", bed.VolumesDir), (option, value));

        var error = Should.Throw<DriverConfigurationException>(() => bed.CreateDriver(section));

        error.Message.ShouldStartWith(expected);
        DriverErrorClassifier.Classify(error).ShouldBe(FailureKind.Unrecoverable);
    }

    [Fact]
    public void Create_NoDirectoryAndNoStatePath_ThrowsConfigurationError()
    {
        var error = Should.Throw<DriverConfigurationException>(() => bed.CreateDriver(FileTestBed.Section("file1")));

        error.Message.ShouldBe("[file1] file_volumes_dir is not set and there is no state_path to put volumes under; set file_volumes_dir");
    }

    [Fact]
    public async Task SetupAsync_QemuImgMissing_ThrowsDependencyError()
    {
        using var missing = new FileTestBed(qemuImg: "/nonexistent/qemu-img");
        var driver = missing.CreateDriver(FileTestBed.Section("file1", ("file_volumes_dir", missing.VolumesDir)));

        var error = await Should.ThrowAsync<DriverDependencyException>(() => driver.SetupAsync(FileTestBed.Token));

        error.Message.ShouldStartWith("qemu-img not found ('/nonexistent/qemu-img' is not an executable on PATH); install qemu-utils");
        DriverErrorClassifier.Classify(error).ShouldBe(FailureKind.Unrecoverable);
    }

    [Fact]
    public async Task CheckForSetupErrorAsync_QemuImgThatDoesNotRun_ThrowsDependencyError()
    {
        var fake = Path.Combine(bed.Root, "qemu-img");
        await System.IO.File.WriteAllTextAsync(fake, "#!/bin/sh\necho 'libfoo.so: cannot open shared object file' >&2\nexit 127\n", FileTestBed.Token);
        await Tool.RunAsync("chmod", "+x", fake);
        using var broken = new FileTestBed(qemuImg: fake);
        var driver = broken.CreateDriver(FileTestBed.Section("file1", ("file_volumes_dir", broken.VolumesDir)));
        await driver.SetupAsync(FileTestBed.Token);

        var error = await Should.ThrowAsync<DriverDependencyException>(() => driver.CheckForSetupErrorAsync(FileTestBed.Token));

        error.Message.ShouldContain("does not run");
        error.Message.ShouldContain("libfoo.so: cannot open shared object file");
    }

    [Fact]
    public async Task SetupAsync_DirectoryMissing_ThrowsRecoverableErrorAndProbeSaysWhy()
    {
        var missing = Path.Combine(bed.Root, "not-there");
        var driver = bed.CreateDriver(FileTestBed.Section("file1", ("file_volumes_dir", missing)));

        var error = await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FileTestBed.Token));
        var probe = await driver.ProbeAsync(FileTestBed.Token);

        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldBe($"file_volumes_dir {missing} does not exist");
        DriverErrorClassifier.Classify(error).ShouldBe(FailureKind.Recoverable);
        probe.ShouldBe(ProbeResult.NotReady($"file_volumes_dir {missing} does not exist"));
        Directory.Exists(missing).ShouldBeFalse("a configured directory is never created: it may be a mount point to be");
    }

    [Fact]
    public async Task SetupAsync_NoDirectoryOption_CreatesDefaultUnderStatePath()
    {
        var statePath = Path.Combine(bed.Root, "state");
        var driver = bed.CreateDriver(FileTestBed.Section("fast"), statePath);

        (await driver.ProbeAsync(FileTestBed.Token)).IsReady.ShouldBeTrue();
        await driver.SetupAsync(FileTestBed.Token);
        await driver.CheckForSetupErrorAsync(FileTestBed.Token);
        await driver.CreateVolumeAsync(new VolumeRef("v", 1), FileTestBed.Token);

        System.IO.File.Exists(Path.Combine(statePath, "volumes", "fast", "volume-v.raw")).ShouldBeTrue();
    }

    [Fact]
    public async Task SetupAsync_Succeeds_RestoresExportsLastAndRemovesHalfWrittenFiles()
    {
        var part = Path.Combine(bed.VolumesDir, ".volume-crashed.raw.part");
        await System.IO.File.WriteAllTextAsync(part, "half", FileTestBed.Token);
        var driver = bed.CreateDriver();

        await driver.SetupAsync(FileTestBed.Token);

        System.IO.File.Exists(part).ShouldBeFalse();
        bed.Exporter.Calls.ShouldBe(["restore"]);
        bed.Exporter.Watching.ShouldBeTrue("a tgtd that loses its targets later must be noticed");
        bed.Logs.Lines.ShouldContain($"Warning: Backend file1: removed {part}, left half-written by an earlier run");
        bed.Logs.Lines.ShouldContain(line => line.StartsWith($"Information: Backend file1: volumes in {bed.VolumesDir} (raw by default), qemu-img /", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetupAsync_ReadOnlyFilesystem_ThrowsRecoverableErrorNamingTheDirectory()
    {
        await Mounts.MountTmpfsAsync(bed.VolumesDir, readOnly: true);
        var driver = bed.CreateDriver();

        var error = await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FileTestBed.Token));
        var probe = await driver.ProbeAsync(FileTestBed.Token);

        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldStartWith($"file_volumes_dir {bed.VolumesDir} is not writable: ");
        error.Message.ShouldContain("Read-only file system");
        probe.IsReady.ShouldBeFalse();
        probe.Reason.ShouldBe(error.Message);
    }

    [Fact]
    public async Task FactoryOptionNames_IncludeFileAndIscsiOptions()
    {
        await Task.CompletedTask;
        new FileDriverFactory().OptionNames.ShouldBe(
            ["file_volumes_dir", "file_volume_format", "file_require_mountpoint", "max_over_subscription_ratio", "reserved_percentage", "nas_secure_file_permissions", .. Kiln.Drivers.File.Iscsi.IscsiOptions.Names],
            ignoreOrder: true);
        new FileDriverFactory().Name.ShouldBe("file");
    }
}
