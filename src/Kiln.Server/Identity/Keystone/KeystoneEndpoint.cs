namespace Kiln.Server.Identity.Keystone;

/// <summary>Where Kiln's calls go: <c>{auth_url}/v3/auth/tokens</c>.</summary>
internal static class KeystoneEndpoint
{
    /// <summary>
    /// The tokens resource with <c>?nocatalog</c> (Kiln never reads the service catalog, the bulk of a
    /// token body). auth_url may be unversioned (keystonemiddleware's usual value) or already end in
    /// /v3, as many deployments write it; both reach the same resource.
    /// </summary>
    public static Uri Tokens(Uri authUrl)
    {
        ArgumentNullException.ThrowIfNull(authUrl);
        var path = authUrl.AbsolutePath.TrimEnd('/');
        var v3 = path.EndsWith("/v3", StringComparison.OrdinalIgnoreCase) ? path : path + "/v3";
        return new UriBuilder(authUrl) { Path = v3 + "/auth/tokens", Query = "nocatalog" }.Uri;
    }
}
