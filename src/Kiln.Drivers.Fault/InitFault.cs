namespace Kiln.Drivers.Fault;

/// <summary>What <c>do_setup</c> does, chosen by the control file's <c>init</c> field.</summary>
internal enum InitFault
{
    Ok,
    Transient,
    Config,
    Unsupported,
    Dependency,
    Hang,
}
