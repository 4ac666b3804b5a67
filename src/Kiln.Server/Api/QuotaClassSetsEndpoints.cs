using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Quotas;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/os-quota-class-sets/{class}</c>: show and update a quota class. The
/// <c>default</c> class replaces kiln.conf's defaults for every project, as in Cinder.
/// </summary>
internal static class QuotaClassSetsEndpoints
{

    public static RouteGroupBuilder MapQuotaClassSets(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/os-quota-class-sets/{name}");
        group.MapGet("", ShowAsync);
        group.MapPut("", UpdateAsync);
        return v3;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string name, QuotaService quotas)
    {
        if (http.Deny(CinderPolicyRules.QuotaClassesGet) is { } denied)
        {
            return denied;
        }

        var limits = await quotas.ClassLimitsAsync(name, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object> { ["quota_class_set"] = QuotaSetView.Limits(limits, name) });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string name, QuotaService quotas)
    {
        if (http.Deny(CinderPolicyRules.QuotaClassesUpdate) is { } denied)
        {
            return denied;
        }

        if (name.Length > BodyReader.MaxStringLength)
        {
            return Refusals.BadRequest($"Invalid input received: quota_class_name has {name.Length} characters, more than {BodyReader.MaxStringLength}.");
        }

        var (body, bodyError) = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var resources = await quotas.ResourcesAsync(http.RequestAborted).ConfigureAwait(false);
        var (limits, error) = QuotaSetBody.ReadQuotaClassSet(body, resources);
        if (limits is null)
        {
            return Refusals.BadRequest(error!);
        }

        await quotas.SetLimitsAsync(QuotaOwner.Class(name), limits, http.RequestAborted).ConfigureAwait(false);
        var updated = await quotas.ClassLimitsAsync(name, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object> { ["quota_class_set"] = QuotaSetView.Limits(updated, id: null) });
    }
}
