using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

/// <summary><c>public_endpoint</c>, <c>max_metadata_items</c> and <c>[oslo_middleware] max_request_body_size</c>.</summary>
public sealed class ApiOptionsTests
{
    [Fact]
    public void Load_NoneSet_CinderDefaults()
    {
        var api = TempConfigFile.Load("[DEFAULT]\n").Api;

        api.PublicEndpoint.ShouldBeNull();
        api.MaxMetadataItems.ShouldBe(128);
        api.MaxRequestBodySize.ShouldBe(114_688);
    }

    [Fact]
    public void Load_AllSet_Exposed()
    {
        var configuration = TempConfigFile.Load("""
            [DEFAULT]
            public_endpoint = https://volume.example.com:8443/block/
            max_metadata_items = 0

            [oslo_middleware]
            max_request_body_size = 1048576
            """);

        configuration.Api.PublicEndpoint.ShouldBe(new Uri("https://volume.example.com:8443/block"));
        configuration.Api.MaxMetadataItems.ShouldBe(0);
        configuration.Api.MaxRequestBodySize.ShouldBe(1_048_576);
        configuration.Warnings.ShouldBeEmpty();
        configuration.WithLogFormat(KilnLogFormat.Json).Api.ShouldBe(configuration.Api);
    }

    [Fact]
    public void Load_EmptyPublicEndpoint_Unset()
    {
        TempConfigFile.Load("[DEFAULT]\npublic_endpoint =\n").Api.PublicEndpoint.ShouldBeNull();
    }

    [Theory]
    [InlineData("DEFAULT", "public_endpoint", "volume.example.com", "expected an absolute http:// or https:// URL")]
    [InlineData("DEFAULT", "public_endpoint", "ftp://volume.example.com", "expected an absolute http:// or https:// URL")]
    [InlineData("DEFAULT", "public_endpoint", "https://volume.example.com/?a=b", "expected an absolute http:// or https:// URL")]
    [InlineData("DEFAULT", "public_endpoint", "https://user:pw@volume.example.com", "expected an absolute http:// or https:// URL")]
    [InlineData("DEFAULT", "max_metadata_items", "-1", "expected a whole number from 0 to 2147483647")]
    [InlineData("DEFAULT", "max_metadata_items", "lots", "expected a whole number from 0 to 2147483647")]
    [InlineData("DEFAULT", "max_metadata_items", "2147483648", "expected a whole number from 0 to 2147483647")]
    [InlineData("oslo_middleware", "max_request_body_size", "1023", "expected a number of bytes from 1024 to 2147483647")]
    [InlineData("oslo_middleware", "max_request_body_size", "1e6", "expected a number of bytes from 1024 to 2147483647")]
    public void Load_BadValue_StopsStartUpNamingTheOption(string section, string option, string value, string expected)
    {
        var (message, path) = TempConfigFile.LoadFails($"[{section}]\n{option} = {value}\n");

        message.ShouldStartWith($"{path}:2: [{section}] {option} = '{value}' is invalid: {expected}");
    }

    [Fact]
    public void Load_OsloMiddlewareAsABackendName_Refused()
    {
        var (message, path) = TempConfigFile.LoadFails("[DEFAULT]\nenabled_backends = fast, Oslo_Middleware\n");

        message.ShouldBe($"{path}:2: [DEFAULT] enabled_backends = 'fast, Oslo_Middleware' is invalid: 'Oslo_Middleware' is a reserved section name and cannot be a backend");
    }

    [Fact]
    public void Load_UnknownOsloMiddlewareOption_Warning()
    {
        using var file = new TempConfigFile("[oslo_middleware]\nmax_request_body_sise = 1\n");

        var configuration = KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.Warnings.ShouldContain($"{file.Path}:2: [oslo_middleware] max_request_body_sise is not a known option and is ignored");
    }
}
