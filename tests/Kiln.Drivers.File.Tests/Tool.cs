using System.Diagnostics;

namespace Kiln.Drivers.File.Tests;

/// <summary>Runs the real tools (qemu-io, qemu-img, mount, stat) as test oracles, independent of the driver's code.</summary>
internal static class Tool
{
    public static Task<string> RunAsync(string command, params string[] arguments) =>
        RunAsync(command, arguments, TestContext.Current.CancellationToken);

    public static async Task<string> RunAsync(string command, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}{output}");
        }

        return output + error;
    }

    /// <summary>Writes <paramref name="pattern"/> over the first MiB of the image with qemu-io.</summary>
    public static Task WritePatternAsync(string path, string format, byte pattern) =>
        RunAsync("qemu-io", "-f", format, "-c", $"write -P 0x{pattern:x2} 0 1M", path);

    /// <summary>True when the first MiB of the image holds <paramref name="pattern"/> (qemu-io compares every byte).</summary>
    public static async Task<bool> HoldsPatternAsync(string path, string format, byte pattern)
    {
        try
        {
            var output = await RunAsync("qemu-io", "-f", format, "-c", $"read -P 0x{pattern:x2} 0 1M", path);
            return !output.Contains("Pattern verification failed", StringComparison.Ordinal);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("Pattern verification failed", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>
    /// Null when both images hold the same bytes, else qemu-img compare's account of the first difference.
    /// It skips what both leave unallocated, so two sparse GiB images compare in milliseconds (reading them
    /// into arrays and comparing those took minutes and gigabytes).
    /// </summary>
    public static async Task<string?> DifferenceAsync(string first, string second, string format)
    {
        // Without -s (which would also fail on a different allocation), qemu-img compare takes a shorter
        // image as if padded with zeros: the sizes are compared first.
        var (firstSize, secondSize) = (await VirtualSizeAsync(first), await VirtualSizeAsync(second));
        if (firstSize != secondSize)
        {
            return $"{first} is {firstSize} bytes, {second} {secondSize}";
        }

        try
        {
            await RunAsync("qemu-img", "compare", "-f", format, "-F", format, first, second);
            return null;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("Content mismatch", StringComparison.Ordinal))
        {
            return ex.Message;
        }
    }

    /// <summary>qemu-img info's virtual size in bytes.</summary>
    public static async Task<long> VirtualSizeAsync(string path)
    {
        var json = await RunAsync("qemu-img", "info", "--output=json", "-U", path);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("virtual-size").GetInt64();
    }

    /// <summary>qemu-img info's backing file name, or null.</summary>
    public static async Task<string?> BackingFileAsync(string path)
    {
        var json = await RunAsync("qemu-img", "info", "--output=json", "-U", path);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("backing-filename", out var backing) ? backing.GetString() : null;
    }

    /// <summary>Bytes the file really occupies, by stat(1): blocks × block unit.</summary>
    public static async Task<long> AllocatedBytesAsync(string path)
    {
        var fields = (await RunAsync("stat", "-c", "%b %B", path)).Split(' ', StringSplitOptions.TrimEntries);
        return long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
