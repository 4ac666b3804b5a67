using Kiln.Core.Drivers;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// What a backend host runs, as read from its configuration section: the lifecycle options and how to
/// create a driver. <see cref="CreateDriver"/> may throw the section's configuration error, so a bad
/// section becomes the attempt's (unrecoverable) failure rather than a crash.
/// </summary>
public sealed record BackendDefinition(LifecycleOptions Options, Func<IVolumeDriver> CreateDriver);
