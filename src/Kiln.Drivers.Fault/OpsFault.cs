namespace Kiln.Drivers.Fault;

/// <summary>What volume operations do: succeed, fail recoverably, or hang until cancelled (to rehearse a request caught mid-flight).</summary>
internal enum OpsFault
{
    Ok,
    Fail,
    Hang,
}
