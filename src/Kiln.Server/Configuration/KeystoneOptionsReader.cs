using static Kiln.Server.Configuration.KeystoneOptionNames;

namespace Kiln.Server.Configuration;

/// <summary>
/// Reads and validates <c>[keystone_authtoken]</c> when <c>auth_strategy = keystone</c>. A bad or
/// missing required value throws <see cref="KilnConfigurationException"/> naming the option; options
/// accepted but not used add warnings.
/// </summary>
internal static class KeystoneOptionsReader
{
    public static KeystoneOptions Read(ConfiguredSection? section, string sourceName, ICollection<string> warnings)
    {
        var reader = new SectionReader(Section, section);

        // First, so that an operator trying another auth type learns that rather than which of the
        // password plugin's options is missing.
        reader.Read(AuthType, "password", KeystoneOptionParsers.AuthType);
        var authUrl = Required(reader, AuthUrl, sourceName, KeystoneOptionParsers.AuthUrl);
        var username = Required(reader, Username, sourceName, OptionParsers.NonEmpty);
        var password = Required(reader, Password, sourceName, OptionParsers.NonEmpty);
        var projectName = Required(reader, ProjectName, sourceName, OptionParsers.NonEmpty);

        var options = new KeystoneOptions
        {
            AuthUrl = authUrl,
            WwwAuthenticateUri = ReadWwwAuthenticateUri(reader, authUrl, sourceName, warnings),
            Username = username,
            Password = password,
            ProjectName = projectName,
            UserDomainName = reader.Read(UserDomainName, KeystoneOptions.DefaultDomainName, OptionParsers.NonEmpty),
            UserDomainId = reader.ReadOptional(UserDomainId),
            ProjectDomainName = reader.Read(ProjectDomainName, KeystoneOptions.DefaultDomainName, OptionParsers.NonEmpty),
            ProjectDomainId = reader.ReadOptional(ProjectDomainId),
            TokenCacheTime = reader.Read(TokenCacheTime, KeystoneOptions.DefaultTokenCacheTime, KeystoneOptionParsers.TokenCacheTime),
            HttpConnectTimeout = reader.Read(HttpConnectTimeout, KeystoneOptions.DefaultHttpConnectTimeout, OptionParsers.PositiveSeconds),
            HttpRequestMaxRetries = reader.Read(HttpRequestMaxRetries, KeystoneOptions.DefaultHttpRequestMaxRetries, KeystoneOptionParsers.Retries),
            RegionName = reader.ReadOptional(RegionName),
            ServiceTokenRoles = reader.Read<IReadOnlyList<string>>(ServiceTokenRoles, ["service"], KeystoneOptionParsers.List),
            ServiceTokenRolesRequired = reader.Read(ServiceTokenRolesRequired, true, OptionParsers.Boolean),
        };

        if (reader.Find(MemcachedServers) is { Value.Length: > 0 } memcached)
        {
            warnings.Add($"{memcached.Origin}: [{Section}] {MemcachedServers} is ignored: Kiln keeps validated tokens in its own memory");
        }

        return options;
    }

    private static T Required<T>(SectionReader reader, string option, string sourceName, Func<string, Parsed<T>> parse)
    {
        // Empty counts as unset, so that an environment variable can clear a file's value.
        if (reader.Find(option) is not { Value.Length: > 0 })
        {
            throw new KilnConfigurationException(
                $"{sourceName}: [{Section}] {option} is not set; it is required when [{OptionNames.DefaultSection}] {OptionNames.AuthStrategy} = keystone");
        }

        return reader.Read(option, default(T)!, parse);
    }

    // keystonemiddleware renamed auth_uri to www_authenticate_uri (Queens) and, with neither set,
    // falls back to the auth plugin's endpoint with a warning; Kiln does the same.
    private static string ReadWwwAuthenticateUri(SectionReader reader, Uri authUrl, string sourceName, ICollection<string> warnings)
    {
        var authUrlText = reader.Find(AuthUrl)!.Value;
        var current = reader.Find(WwwAuthenticateUri) is { Value.Length: > 0 } set ? set : null;
        var deprecated = reader.Find(AuthUri) is { Value.Length: > 0 } old ? old : null;
        if (deprecated is not null)
        {
            warnings.Add(current is null
                ? $"{deprecated.Origin}: [{Section}] {AuthUri} is deprecated; use {WwwAuthenticateUri}"
                : $"{deprecated.Origin}: [{Section}] {AuthUri} is deprecated and ignored because {WwwAuthenticateUri} is set");
        }

        if ((current ?? deprecated) is not { } chosen)
        {
            warnings.Add(
                $"{sourceName}: [{Section}] {WwwAuthenticateUri} is not set; 401 answers send clients to {AuthUrl} ({authUrlText}), which should then be the public Identity endpoint");
            return authUrlText;
        }

        // Validated for the error message naming the option; kept as written, like keystonemiddleware.
        _ = reader.Read(chosen.Name, authUrl, KeystoneOptionParsers.HttpUrl);
        return chosen.Value;
    }
}
