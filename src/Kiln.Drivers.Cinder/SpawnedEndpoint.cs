using System.Diagnostics;

namespace Kiln.Drivers.Cinder;

/// <summary>A host process Kiln started itself, talking over its standard streams.</summary>
internal sealed class SpawnedEndpoint(Process process) : IHostEndpoint
{
    public int Pid { get; } = process.Id;

    public TextWriter Input => process.StandardInput;

    public TextReader Output => process.StandardOutput;

    public TextReader Errors => process.StandardError;

    public async Task<int?> WaitForExitAsync()
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    public void CloseInput()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting as we asked.
        }
    }

    public DriverHostUsage? Sample() => ProcessUsage.Of(process);

    public void Dispose() => process.Dispose();
}
