using System.Globalization;
using Kiln.Core.Errors;
using Kiln.Drivers.File.Tools;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// The tgtadm commands the exporter needs, against one tgtd (its control port). Failures become the
/// driver taxonomy: tgtadm missing is a dependency error, tgtd down or a refused command a recoverable
/// <see cref="DriverException"/> carrying tgtadm's stderr.
/// </summary>
internal sealed class TgtAdmin(string tgtadmPath, int controlPort)
{
    /// <summary>tgtadm's exit code for "Transport endpoint is not connected": no tgtd on the control socket.</summary>
    private const int NotConnected = 107;

    public int ControlPort => controlPort;

    public async Task<IReadOnlyList<TgtTarget>> ShowTargetsAsync(CancellationToken cancellationToken) =>
        TgtShowParser.ParseTargets((await RunAsync(["--op", "show", "--mode", "target"], cancellationToken).ConfigureAwait(false)).StandardOutput);

    public async Task<IReadOnlyList<string>> ShowAccountsAsync(CancellationToken cancellationToken) =>
        TgtShowParser.ParseAccounts((await RunAsync(["--op", "show", "--mode", "account"], cancellationToken).ConfigureAwait(false)).StandardOutput);

    /// <summary>Creates target <paramref name="tid"/>; false when that tid (or the IQN) is already taken.</summary>
    public async Task<bool> TryNewTargetAsync(int tid, string iqn, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["--op", "new", "--mode", "target", "--tid", Text(tid), "-T", iqn], cancellationToken, tolerate: "already exists").ConfigureAwait(false);
        return result.Succeeded;
    }

    public Task NewLogicalUnitAsync(int tid, int lun, string backingStore, CancellationToken cancellationToken) =>
        RunAsync(["--op", "new", "--mode", "logicalunit", "--tid", Text(tid), "--lun", Text(lun), "--backing-store", backingStore], cancellationToken);

    /// <summary>Deletes LUN <paramref name="lun"/> of target <paramref name="tid"/>; one that does not exist is fine.</summary>
    public Task DeleteLogicalUnitAsync(int tid, int lun, CancellationToken cancellationToken) =>
        RunAsync(["--op", "delete", "--mode", "logicalunit", "--tid", Text(tid), "--lun", Text(lun)], cancellationToken, tolerate: "can't find");

    public Task NewAccountAsync(string user, string password, CancellationToken cancellationToken) =>
        RunAsync(["--op", "new", "--mode", "account", "--user", user, "--password", password], cancellationToken);

    public Task BindAccountAsync(int tid, string user, CancellationToken cancellationToken) =>
        RunAsync(["--op", "bind", "--mode", "account", "--tid", Text(tid), "--user", user], cancellationToken);

    public Task BindAllInitiatorsAsync(int tid, CancellationToken cancellationToken) =>
        RunAsync(["--op", "bind", "--mode", "target", "--tid", Text(tid), "-I", "ALL"], cancellationToken);

    /// <summary>Grants <paramref name="entry"/>: <c>ALL</c> or an address by <c>--initiator-address</c>, anything else as an initiator name.</summary>
    public Task BindAclAsync(int tid, string entry, CancellationToken cancellationToken) =>
        RunAsync(["--op", "bind", "--mode", "target", "--tid", Text(tid), .. AclArguments(entry)], cancellationToken);

    /// <summary>Revokes <paramref name="entry"/>; one that is not bound is fine.</summary>
    public Task UnbindAclAsync(int tid, string entry, CancellationToken cancellationToken) =>
        RunAsync(["--op", "unbind", "--mode", "target", "--tid", Text(tid), .. AclArguments(entry)], cancellationToken, tolerate: "can't find");

    /// <summary>Deletes an account; one that does not exist is fine.</summary>
    public Task DeleteAccountAsync(string user, CancellationToken cancellationToken) =>
        RunAsync(["--op", "delete", "--mode", "account", "--user", user], cancellationToken, tolerate: "can't find the account");

    /// <summary>Deletes a target even with sessions logged in; one that does not exist is fine.</summary>
    public Task DeleteTargetAsync(int tid, CancellationToken cancellationToken) =>
        RunAsync(["--op", "delete", "--force", "--mode", "target", "--tid", Text(tid)], cancellationToken, tolerate: "can't find the target");

    /// <summary>Whether an ACL entry is an address (<c>ALL</c>, an IP, a subnet) rather than an initiator name.</summary>
    public static bool IsAddress(string entry) =>
        entry == TgtAcl.All || System.Net.IPAddress.TryParse(entry.Split('/')[0], out _);

    private static string[] AclArguments(string entry) =>
        IsAddress(entry) ? ["--initiator-address", entry] : ["--initiator-name", entry];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task<ProcessResult> RunAsync(string[] arguments, CancellationToken cancellationToken, string? tolerate = null)
    {
        string[] full = ["-C", Text(controlPort), "--lld", "iscsi", .. arguments];
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(tgtadmPath, full, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException ex)
        {
            throw new DriverDependencyException(
                $"tgtadm was not found ({tgtadmPath}): install the tgt package (Debian and Ubuntu: apt-get install tgt) to export volumes over iSCSI.", ex);
        }

        if (result.Succeeded)
        {
            return result;
        }

        var error = result.StandardError.Trim();
        if (tolerate is not null && error.Contains(tolerate, StringComparison.Ordinal))
        {
            return result;
        }

        if (result.ExitCode == NotConnected || error.Contains("tgt daemon", StringComparison.Ordinal))
        {
            throw new TgtdUnreachableException($"tgtd is not running or not reachable on control port {controlPort} (start the tgt service): {error}");
        }

        throw new DriverException($"tgtadm {Shown(arguments)} failed with exit code {result.ExitCode}: {error}");
    }

    // The CHAP password must not end up in error messages and logs.
    private static string Shown(string[] arguments) =>
        string.Join(' ', arguments.Select((a, i) => i > 0 && arguments[i - 1] == "--password" ? "***" : a));
}
