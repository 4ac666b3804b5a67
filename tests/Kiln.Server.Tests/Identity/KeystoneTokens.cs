using System.Globalization;

namespace Kiln.Server.Tests.Identity;

/// <summary>Token bodies in the shape Keystone 22 (Zed) answers, catalog and microsecond timestamps included.</summary>
internal static class KeystoneTokens
{
    /// <summary>Keystone's timestamp format: <c>2026-12-06T17:00:00.000000Z</c>.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string ProjectScoped(DateTimeOffset expiresAt, string userId = "u-1", string projectId = "p-1", params string[] roles)
    {
        var names = roles.Length == 0 ? ["member", "reader"] : roles;
        var roleList = string.Join(", ", names.Select((name, i) => $$"""{"id": "r-{{i}}", "name": "{{name}}"}"""));
        return $$$"""
            {"token": {
              "methods": ["password"],
              "user": {"domain": {"id": "default", "name": "Default"}, "id": "{{{userId}}}", "name": "alice", "password_expires_at": null},
              "audit_ids": ["3T2dc1CGQxyJsHdDu1xkcw"],
              "expires_at": "{{{Timestamp(expiresAt)}}}",
              "issued_at": "{{{Timestamp(expiresAt.AddHours(-1))}}}",
              "project": {"domain": {"id": "d-7", "name": "Engineering"}, "id": "{{{projectId}}}", "name": "demo"},
              "is_domain": false,
              "roles": [{{{roleList}}}],
              "catalog": [{"endpoints": [{"id": "e-1", "interface": "public", "region": "RegionOne", "url": "http://cinder.example:8776/v3/{{{projectId}}}"}], "id": "s-1", "type": "block-storage", "name": "cinder"}]
            }}
            """;
    }

    public static string SystemScoped(DateTimeOffset expiresAt) => $$$"""
        {"token": {
          "methods": ["password"],
          "user": {"domain": {"id": "default", "name": "Default"}, "id": "admin-id", "name": "admin"},
          "expires_at": "{{{Timestamp(expiresAt)}}}",
          "system": {"all": true},
          "roles": [{"id": "r-0", "name": "admin"}, {"id": "r-1", "name": "member"}, {"id": "r-2", "name": "reader"}]
        }}
        """;
}
