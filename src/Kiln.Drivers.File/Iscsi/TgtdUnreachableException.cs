using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>No tgtd answers on the control port: recoverable, and no export of that tgtd can be made until it does.</summary>
internal sealed class TgtdUnreachableException(string message) : DriverException(message);
