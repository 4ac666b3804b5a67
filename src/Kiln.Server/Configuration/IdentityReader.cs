using System.Net;
using static Kiln.Server.Configuration.OptionNames;

namespace Kiln.Server.Configuration;

/// <summary>
/// Reads <c>auth_strategy</c>, refuses noauth on a non-loopback address unless
/// <c>allow_noauth_remote</c> accepts it, and reads <c>[keystone_authtoken]</c> under Keystone.
/// </summary>
internal static class IdentityReader
{
    public static IdentityConfiguration Read(ConfiguredOptions options, SectionReader global, string listenAddress, string sourceName, ICollection<string> warnings)
    {
        var strategy = global.Read(OptionNames.AuthStrategy, Configuration.AuthStrategy.NoAuth, OptionParsers.AuthStrategy);
        var allowRemote = global.Read(AllowNoauthRemote, false, OptionParsers.Boolean);
        var keystoneSection = options.FindSection(KeystoneOptionNames.Section);
        if (strategy == Configuration.AuthStrategy.Keystone)
        {
            return new IdentityConfiguration(strategy, KeystoneOptionsReader.Read(keystoneSection, sourceName, warnings));
        }

        if (!IsLoopback(listenAddress))
        {
            // The default address is loopback, so a remote one was configured: blame that line.
            var listen = global.Find(ListenAddress)!;
            var setting = $"[{DefaultSection}] {OptionNames.AuthStrategy} = noauth";
            if (!allowRemote)
            {
                throw new KilnConfigurationException(
                    $"{listen.Origin}: {setting} lets anyone who can reach the API act as admin, and {ListenAddress} = '{listen.Value}' is not a loopback address; " +
                    $"set {OptionNames.AuthStrategy} = keystone, listen on 127.0.0.1, or set {AllowNoauthRemote} = true to accept the risk");
            }

            warnings.Add($"{listen.Origin}: {setting} on {ListenAddress} = '{listen.Value}': anyone who can reach the API acts as admin ({AllowNoauthRemote} = true)");
        }

        if (keystoneSection is not null)
        {
            warnings.Add($"{keystoneSection.Origin}: section [{KeystoneOptionNames.Section}] is ignored while {OptionNames.AuthStrategy} = noauth");
        }

        return IdentityConfiguration.NoAuth;
    }

    /// <summary>127.0.0.0/8 and ::1, also written as an IPv4-mapped IPv6 address.</summary>
    internal static bool IsLoopback(string address)
    {
        var ip = IPAddress.Parse(address);
        return IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);
    }
}
