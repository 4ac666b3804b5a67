using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Quotas;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/os-quota-sets/{target}</c>: show (with <c>?usage=true</c>), defaults, update and
/// delete of a project's quotas, as Cinder's quotas extension, under its policy rules.
/// </summary>
internal static class QuotaSetsEndpoints
{

    public static RouteGroupBuilder MapQuotaSets(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/os-quota-sets/{target}");
        group.MapGet("", ShowAsync);
        group.MapGet("/defaults", DefaultsAsync);
        group.MapPut("", UpdateAsync);
        group.MapDelete("", DeleteAsync);
        return v3;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string target, QuotaService quotas)
    {
        if (http.Deny(CinderPolicyRules.QuotasShow, target) is { } denied)
        {
            return denied;
        }

        var usage = false;
        if (http.Request.Query.TryGetValue("usage", out var text) && !BooleanText.TryParse(text.ToString(), out usage))
        {
            return Refusals.BadRequest($"Invalid input received: Value '{text}' for 'usage' is not a boolean.");
        }

        var limits = await quotas.ProjectLimitsAsync(target, http.RequestAborted).ConfigureAwait(false);
        if (!usage)
        {
            return Results.Json(new Dictionary<string, object> { ["quota_set"] = QuotaSetView.Limits(limits, target) });
        }

        var used = await quotas.UsageAsync(target, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object> { ["quota_set"] = QuotaSetView.Usage(limits, used, target) });
    }

    private static async Task<IResult> DefaultsAsync(HttpContext http, string target, QuotaService quotas)
    {
        if (http.Deny(CinderPolicyRules.QuotasShow, target) is { } denied)
        {
            return denied;
        }

        var defaults = await quotas.DefaultLimitsAsync(http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object> { ["quota_set"] = QuotaSetView.Limits(defaults, target) });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string target, QuotaService quotas)
    {
        if (http.Deny(CinderPolicyRules.QuotasUpdate, target) is { } denied)
        {
            return denied;
        }

        var (body, bodyError) = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var resources = await quotas.ResourcesAsync(http.RequestAborted).ConfigureAwait(false);
        var (limits, error) = QuotaSetBody.ReadQuotaSet(body, resources);
        if (limits is null)
        {
            return Refusals.BadRequest(error!);
        }

        // As Cinder: a limit below what the project holds is refused (-1 and per_volume_gigabytes aside).
        var usage = await quotas.UsageAsync(target, http.RequestAborted).ConfigureAwait(false);
        foreach (var (resource, limit) in limits)
        {
            var used = usage.GetValueOrDefault(resource).Consumed;
            if (resource != QuotaResources.PerVolumeGigabytes && limit != QuotaResources.Unlimited && limit < used)
            {
                return Refusals.BadRequest($"Quota {resource} limit must be equal or greater than existing resources. Current usage is {used} and the requested limit is {limit}.");
            }
        }

        await quotas.SetLimitsAsync(QuotaOwner.Project(target), limits, http.RequestAborted).ConfigureAwait(false);
        var updated = await quotas.ProjectLimitsAsync(target, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object> { ["quota_set"] = QuotaSetView.Limits(updated, id: null) });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string target, QuotaService quotas)
    {
        if (http.Deny(CinderPolicyRules.QuotasDelete, target) is { } denied)
        {
            return denied;
        }

        await quotas.RemoveProjectLimitsAsync(target, http.RequestAborted).ConfigureAwait(false);

        // Cinder answers 200 with an empty body.
        return Results.Ok();
    }
}
