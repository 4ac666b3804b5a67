namespace Kiln.Server.Policy;

/// <summary>The names of Kiln's own policy rules, for actions Cinder does not have.</summary>
internal static class KilnPolicyRules
{
    /// <summary><c>PUT /v3/{project_id}/os-services/reinit</c>: re-initialize a backend now.</summary>
    public const string ServicesReinit = "volume_extension:services:reinit";

    /// <summary>Reading a backend's lifecycle view (driver state, error, re-init attempts and budget).</summary>
    public const string ServicesLifecycle = "volume_extension:services:lifecycle";
}
