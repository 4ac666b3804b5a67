using Kiln.Server.Identity;
using Kiln.Server.Messages;
using Kiln.Server.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/messages</c> (3.3+): the user messages that say why a user's volume or
/// snapshot failed, as Cinder keeps them (list, show, delete).
/// </summary>
internal static class MessagesEndpoints
{
    /// <summary>The first microversion with messages; below it the routes do not exist, as in Cinder.</summary>
    public static ApiVersion Messages { get; } = new(3, 3);

    private static readonly string[] Filters = ["event_id", "resource_type", "resource_uuid", "message_level", "request_id"];

    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/messages");
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return v3;
    }

    private static async Task<IResult> ListAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, IUserMessageRepository messages, TimeProvider time)
    {
        if ((Unavailable(http) ?? http.Deny(CinderPolicyRules.MessageGetAll)) is { } refused)
        {
            return refused;
        }

        var query = http.Request.Query;
        var unknown = query.Keys.Where(k => !Filters.Contains(k) && k != "all_tenants").ToList();
        if (unknown.Count > 0)
        {
            return Refusals.BadRequest($"Invalid filters {string.Join(',', unknown)} are found in query options. Kiln filters messages by: {string.Join(", ", Filters)}.");
        }

        var context = ViewContext.Of(http, projectId);
        var all = await messages.ListAsync(ListParameters.ProjectScope(http, projectId), time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
        var items = all
            .Where(m => Filters.All(f => !query.TryGetValue(f, out var wanted) || string.Equals(Field(m, f), wanted.ToString(), StringComparison.Ordinal)))
            .Select(m => View(m, context))
            .ToList();
        return Results.Json(new Dictionary<string, object?> { ["messages"] = items });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, IUserMessageRepository messages, TimeProvider time)
    {
        if (Unavailable(http) is { } unavailable)
        {
            return unavailable;
        }

        var message = await FindAsync(http, projectId, id, messages, time).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(id);
        }

        return http.Deny(CinderPolicyRules.MessageGet, message.ProjectId)
            ?? Results.Json(new Dictionary<string, object?> { ["message"] = View(message, ViewContext.Of(http, projectId)) });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, IUserMessageRepository messages, TimeProvider time)
    {
        if (Unavailable(http) is { } unavailable)
        {
            return unavailable;
        }

        var message = await FindAsync(http, projectId, id, messages, time).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(id);
        }

        if (http.Deny(CinderPolicyRules.MessageDelete, message.ProjectId) is { } denied)
        {
            return denied;
        }

        return await messages.RemoveAsync(id, http.RequestAborted).ConfigureAwait(false) ? Results.NoContent() : NotFound(id);
    }

    private static async Task<UserMessage?> FindAsync(HttpContext http, string projectId, string id, IUserMessageRepository messages, TimeProvider time)
    {
        var message = await messages.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        var visible = message is not null
            && message.ExpiresAt > time.GetUtcNow()
            && Volumes.Caller.Of(http, projectId).Sees(message.ProjectId);
        return visible ? message : null;
    }

    private static IResult? Unavailable(HttpContext http) =>
        MicroversionFilter.Of(http) < Messages ? Refusals.NotFound("The resource could not be found: messages need microversion 3.3 or later.") : null;

    private static IResult NotFound(string id) => Refusals.NotFound($"Message {id} could not be found.");

    private static string Field(UserMessage message, string filter) => filter switch
    {
        "event_id" => message.EventId,
        "resource_type" => message.ResourceType,
        "resource_uuid" => message.ResourceUuid,
        "message_level" => message.MessageLevel,
        _ => message.RequestId,
    };

    private static Dictionary<string, object?> View(UserMessage message, ViewContext context) => new()
    {
        ["id"] = message.Id,
        ["request_id"] = message.RequestId,
        ["message_level"] = message.MessageLevel,
        ["event_id"] = message.EventId,
        ["user_message"] = message.Text,
        ["resource_type"] = message.ResourceType,
        ["resource_uuid"] = message.ResourceUuid,
        ["created_at"] = ServiceView.Timestamp(message.CreatedAt),
        ["guaranteed_until"] = ServiceView.Timestamp(message.ExpiresAt),
        ["links"] = context.Links("messages", message.Id),
    };
}
