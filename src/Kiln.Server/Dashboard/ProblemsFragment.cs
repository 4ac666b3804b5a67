using System.Globalization;
using System.Text;
using Kiln.Server.Messages;

namespace Kiln.Server.Dashboard;

/// <summary>The latest user messages and volumes in error, each linked to its volume's JSON.</summary>
internal static class ProblemsFragment
{
    public static void Render(StringBuilder html, IReadOnlyList<UserMessage> messages, IReadOnlyList<ErrorVolume> volumes, DateTimeOffset now)
    {
        html.Append("""<div id="problems" hx-get="/dashboard/problems" hx-trigger="every 2s" hx-swap="outerHTML"><div class="problems">""");
        html.Append("""<section aria-labelledby="messages-h"><h3 id="messages-h">User messages</h3>""");
        if (messages.Count == 0)
        {
            html.Append("<p class=\"muted\">No user messages.</p>");
        }
        else
        {
            html.Append("<ul class=\"problem-list\">");
            foreach (var message in messages)
            {
                html.Append("<li>");
                Html.Ago(html, message.CreatedAt, now);
                html.Append(CultureInfo.InvariantCulture, $""" <span class="error-message">{Html.E(message.Text)}</span> <span class="muted">{Html.E(message.ResourceType.ToLowerInvariant())}</span> """);
                VolumeLink(html, message.ResourceType == "VOLUME" ? message.ResourceUuid : null, message.ResourceUuid);
                html.Append(CultureInfo.InvariantCulture, $""" <span class="muted">project {Html.E(message.ProjectId)}, {Html.E(message.EventId)}</span></li>""");
            }

            html.Append("</ul>");
        }

        html.Append("""</section><section aria-labelledby="error-volumes-h"><h3 id="error-volumes-h">Volumes in error</h3>""");
        if (volumes.Count == 0)
        {
            html.Append("<p class=\"muted\">No volume in error.</p>");
        }
        else
        {
            html.Append("<ul class=\"problem-list\">");
            foreach (var volume in volumes)
            {
                html.Append("<li>");
                Html.Ago(html, volume.UpdatedAt ?? volume.CreatedAt, now);
                html.Append(' ');
                VolumeLink(html, volume.Id, volume.Name is { Length: > 0 } name ? $"{name} ({volume.Id})" : volume.Id);
                html.Append(CultureInfo.InvariantCulture, $""" <span class="badge state-failed">{Html.E(volume.Status)}</span> <span class="error-message">{Html.E(volume.ErrorReason ?? "no reason recorded")}</span> <span class="muted">on {Html.E(volume.Host ?? "no backend")}</span></li>""");
            }

            html.Append("</ul>");
        }

        html.Append("</section></div></div>");
    }

    private static void VolumeLink(StringBuilder html, string? id, string text)
    {
        if (id is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<code>{Html.E(text)}</code>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"""<a href="/dashboard/volumes/{Html.Q(id)}">{Html.E(text)}</a>""");
    }
}
