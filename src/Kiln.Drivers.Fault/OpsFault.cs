namespace Kiln.Drivers.Fault;

/// <summary>
/// What volume operations do: succeed, fail recoverably, hang until cancelled (to rehearse a request
/// caught mid-flight), or refuse as unsupported (like a qcow2 volume asked for an iSCSI export).
/// </summary>
internal enum OpsFault
{
    Ok,
    Fail,
    Hang,
    Unsupported,
}
