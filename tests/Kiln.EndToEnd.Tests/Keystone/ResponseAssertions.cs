using System.Net;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>Assertions on what a client of Kiln receives.</summary>
internal static class ResponseAssertions
{
    /// <summary>The status, and Cinder's error body <c>{"fault": {"code": N, "message": "…"}}</c> with exactly this message.</summary>
    public static async Task ShouldBeFaultAsync(this HttpResponseMessage response, HttpStatusCode status, string fault, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        using var document = JsonDocument.Parse(body);
        var property = document.RootElement.EnumerateObject().ShouldHaveSingleItem(body);
        property.Name.ShouldBe(fault, body);
        property.Value.GetProperty("code").GetInt32().ShouldBe((int)status, body);
        property.Value.GetProperty("message").GetString().ShouldBe(message, body);
    }

    /// <summary>A 401 as keystonemiddleware answers it, naming where to get a token.</summary>
    public static async Task ShouldBeUnauthorizedAsync(this HttpResponseMessage response, string keystoneUrl)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, body);
        response.Headers.GetValues("WWW-Authenticate").ShouldHaveSingleItem().ShouldBe($"Keystone uri=\"{keystoneUrl}\"");
        using var document = JsonDocument.Parse(body);
        var error = document.RootElement.GetProperty("error");
        error.GetProperty("code").GetInt32().ShouldBe(401, body);
        error.GetProperty("title").GetString().ShouldBe("Unauthorized", body);
        error.GetProperty("message").GetString().ShouldBe("The request you have made requires authentication.", body);
    }
}
