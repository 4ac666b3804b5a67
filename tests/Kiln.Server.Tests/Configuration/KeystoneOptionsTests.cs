using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

public sealed class KeystoneOptionsTests
{
    // Line 1 [DEFAULT], 2 auth_strategy, 3 [keystone_authtoken], then the options from line 4.
    private const string Head = "[DEFAULT]\nauth_strategy = keystone\n[keystone_authtoken]\n";

    private const string Required = """
        auth_url = http://keystone.example:5000
        username = kiln
        password = s3cret-pa55
        project_name = service
        """;

    private const string Minimal = $"www_authenticate_uri = https://keystone.example:5000\n{Required}\n";

    [Fact]
    public void Load_MinimalKeystone_UsesKeystonemiddlewareDefaults()
    {
        var configuration = TempConfigFile.Load(Head + Minimal);

        configuration.Identity.AuthStrategy.ShouldBe(AuthStrategy.Keystone);
        var keystone = configuration.Identity.Keystone.ShouldNotBeNull();
        keystone.AuthUrl.ShouldBe(new Uri("http://keystone.example:5000"));
        keystone.WwwAuthenticateUri.ShouldBe("https://keystone.example:5000");
        keystone.Username.ShouldBe("kiln");
        keystone.Password.ShouldBe("s3cret-pa55");
        keystone.ProjectName.ShouldBe("service");
        keystone.UserDomainName.ShouldBe("Default");
        keystone.ProjectDomainName.ShouldBe("Default");
        keystone.UserDomainId.ShouldBeNull();
        keystone.ProjectDomainId.ShouldBeNull();
        keystone.TokenCacheTime.ShouldBe(TimeSpan.FromSeconds(300));
        keystone.HttpConnectTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        keystone.HttpRequestMaxRetries.ShouldBe(3);
        keystone.RegionName.ShouldBeNull();
        keystone.ServiceTokenRoles.ShouldBe(["service"]);
        keystone.ServiceTokenRolesRequired.ShouldBeTrue();
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_EveryKeystoneOption_IsExposed()
    {
        var configuration = TempConfigFile.Load(Head + """
            www_authenticate_uri = https://id.example/identity
            auth_url = http://10.0.0.5/identity/v3
            auth_type = v3password
            username = cinder
            password = pw
            project_name = services
            user_domain_name = Users
            project_domain_name = Projects
            user_domain_id = 8a1c
            project_domain_id = 9b2d
            token_cache_time = 120
            http_connect_timeout = 2.5
            http_request_max_retries = 0
            region_name = RegionTwo
            service_token_roles = service, admin,
            service_token_roles_required = false
            """);

        var keystone = configuration.Identity.Keystone.ShouldNotBeNull();
        keystone.AuthUrl.ShouldBe(new Uri("http://10.0.0.5/identity/v3"));
        keystone.WwwAuthenticateUri.ShouldBe("https://id.example/identity");
        keystone.Username.ShouldBe("cinder");
        keystone.Password.ShouldBe("pw");
        keystone.ProjectName.ShouldBe("services");
        keystone.UserDomainName.ShouldBe("Users");
        keystone.ProjectDomainName.ShouldBe("Projects");
        keystone.UserDomainId.ShouldBe("8a1c");
        keystone.ProjectDomainId.ShouldBe("9b2d");
        keystone.TokenCacheTime.ShouldBe(TimeSpan.FromSeconds(120));
        keystone.HttpConnectTimeout.ShouldBe(TimeSpan.FromSeconds(2.5));
        keystone.HttpRequestMaxRetries.ShouldBe(0);
        keystone.RegionName.ShouldBe("RegionTwo");
        keystone.ServiceTokenRoles.ShouldBe(["service", "admin"]);
        keystone.ServiceTokenRolesRequired.ShouldBeFalse();
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_TokenCacheTimeMinusOne_DisablesCaching()
    {
        var keystone = TempConfigFile.Load(Head + Minimal + "token_cache_time = -1\n").Identity.Keystone.ShouldNotBeNull();

        keystone.TokenCacheTime.ShouldBeNull();
    }

    [Theory]
    [InlineData("auth_url")]
    [InlineData("username")]
    [InlineData("password")]
    [InlineData("project_name")]
    public void Load_RequiredOptionMissing_StopsStartUpNamingTheOption(string option)
    {
        var lines = Minimal.Split('\n').Where(line => !line.StartsWith(option + " ", StringComparison.Ordinal));

        var (message, path) = TempConfigFile.LoadFails(Head + string.Join('\n', lines));

        message.ShouldBe($"{path}: [keystone_authtoken] {option} is not set; it is required when [DEFAULT] auth_strategy = keystone");
    }

    [Fact]
    public void Load_KeystoneWithoutSection_NamesAuthUrl()
    {
        var (message, path) = TempConfigFile.LoadFails("[DEFAULT]\nauth_strategy = keystone\n");

        message.ShouldBe($"{path}: [keystone_authtoken] auth_url is not set; it is required when [DEFAULT] auth_strategy = keystone");
    }

    [Fact]
    public void Load_RequiredOptionClearedByEnvironment_CountsAsMissing()
    {
        var (message, _) = TempConfigFile.LoadFails(Head + Minimal, new Dictionary<string, string> { ["KILN__keystone_authtoken__password"] = "" });

        message.ShouldEndWith("[keystone_authtoken] password is not set; it is required when [DEFAULT] auth_strategy = keystone");
    }

    [Fact]
    public void Load_PasswordFromEnvironment_WinsOverTheFile()
    {
        var configuration = TempConfigFile.Load(Head + Minimal, new Dictionary<string, string> { ["KILN__keystone_authtoken__password"] = "from-env" });

        configuration.Identity.Keystone!.Password.ShouldBe("from-env");
    }

    private const string Url = "expected an absolute http:// or https:// URL without query, fragment or '\"'";
    private const string CacheTime = "expected -1 (no caching) or a whole number of seconds from 1 to 86400";
    private const string Retries = "expected an integer from 0 to 10";

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "auth_type", "token", "expected password (the only auth_type Kiln supports)" },
        { "auth_type", "v3applicationcredential", "expected password (the only auth_type Kiln supports)" },
        { "auth_url", "keystone.example:5000", Url },
        { "auth_url", "ftp://keystone.example", Url },
        { "auth_url", "/identity", Url },
        { "auth_url", "http://keystone.example:5000/v3?x=1", Url },
        { "auth_url", "http://keystone.example:5000/v2.0", "expected the unversioned or /v3 Identity endpoint; the v2.0 API is gone from Keystone" },
        { "auth_url", "http://keystone.example:5000/v2.0/", "expected the unversioned or /v3 Identity endpoint; the v2.0 API is gone from Keystone" },
        { "www_authenticate_uri", "keystone", Url },
        { "www_authenticate_uri", "http://keystone.example/\"x", Url },
        { "user_domain_name", "", "expected a non-empty value" },
        { "project_domain_name", "", "expected a non-empty value" },
        { "token_cache_time", "0", CacheTime },
        { "token_cache_time", "-2", CacheTime },
        { "token_cache_time", "86401", CacheTime },
        { "token_cache_time", "99999999999", CacheTime },
        { "token_cache_time", "2.5", CacheTime },
        { "token_cache_time", "soon", CacheTime },
        { "http_connect_timeout", "0", "expected a number of seconds greater than 0 (between 0.001 and 86400)" },
        { "http_connect_timeout", "forever", "expected a number of seconds greater than 0 (between 0.001 and 86400)" },
        { "http_request_max_retries", "-1", Retries },
        { "http_request_max_retries", "11", Retries },
        { "http_request_max_retries", "three", Retries },
        { "service_token_roles_required", "maybe", "expected true or false" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Load_BadKeystoneValue_ThrowsOneLineNamingFileSectionOptionValueAndExpectation(string option, string value, string expected)
    {
        // Required options first, the bad one last (line 9), so the bad one is what start-up reports.
        var (message, path) = TempConfigFile.LoadFails($"{Head}{Minimal}{option} = {value}\n");

        message.ShouldBe($"{path}:9: [keystone_authtoken] {option} = '{value}' is invalid: {expected}");
        message.ShouldNotContain("s3cret-pa55");
    }

    [Fact]
    public void Load_OtherAuthTypeWithoutPasswordOptions_NamesTheAuthType()
    {
        var (message, path) = TempConfigFile.LoadFails(Head + "auth_type = token\n");

        message.ShouldBe($"{path}:4: [keystone_authtoken] auth_type = 'token' is invalid: expected password (the only auth_type Kiln supports)");
    }

    [Fact]
    public void Load_OnlyDeprecatedAuthUri_IsUsedWithAWarning()
    {
        using var file = new TempConfigFile($"{Head}{Required}\nauth_uri = http://public.example:5000\n");

        var configuration = KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.Identity.Keystone!.WwwAuthenticateUri.ShouldBe("http://public.example:5000");
        configuration.Warnings.ShouldBe([$"{file.Path}:8: [keystone_authtoken] auth_uri is deprecated; use www_authenticate_uri"]);
    }

    [Fact]
    public void Load_BothUris_WwwAuthenticateUriWinsAndAuthUriIsReportedIgnored()
    {
        using var file = new TempConfigFile($"{Head}{Minimal}auth_uri = http://old.example:5000\n");

        var configuration = KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.Identity.Keystone!.WwwAuthenticateUri.ShouldBe("https://keystone.example:5000");
        configuration.Warnings.ShouldBe([$"{file.Path}:9: [keystone_authtoken] auth_uri is deprecated and ignored because www_authenticate_uri is set"]);
    }

    [Fact]
    public void Load_BadDeprecatedAuthUri_NamesIt()
    {
        var (message, path) = TempConfigFile.LoadFails($"{Head}{Required}\nauth_uri = public\n");

        message.ShouldBe($"{path}:8: [keystone_authtoken] auth_uri = 'public' is invalid: {Url}");
    }

    [Fact]
    public void Load_NoWwwAuthenticateUri_FallsBackToAuthUrlWithAWarning()
    {
        using var file = new TempConfigFile(Head + Required);

        var configuration = KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.Identity.Keystone!.WwwAuthenticateUri.ShouldBe("http://keystone.example:5000");
        configuration.Warnings.ShouldBe(
        [
            $"{file.Path}: [keystone_authtoken] www_authenticate_uri is not set; 401 answers send clients to auth_url (http://keystone.example:5000), which should then be the public Identity endpoint",
        ]);
    }

    [Fact]
    public void Load_MemcachedServersAndUnknownOptions_WarnAndStillLoad()
    {
        using var file = new TempConfigFile($"{Head}{Minimal}memcached_servers = 10.0.0.5:11211\nmemcache_security_strategy = ENCRYPT\n");

        var configuration = KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.Identity.Keystone.ShouldNotBeNull();
        configuration.Warnings.ShouldBe(
        [
            $"{file.Path}:9: [keystone_authtoken] memcached_servers is ignored: Kiln keeps validated tokens in its own memory",
            $"{file.Path}:10: [keystone_authtoken] memcache_security_strategy is not a known option and is ignored",
        ]);
    }
}
