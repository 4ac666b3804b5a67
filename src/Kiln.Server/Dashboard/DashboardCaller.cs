using Kiln.Server.Identity;

namespace Kiln.Server.Dashboard;

/// <summary>Who is looking at the dashboard, and whether policy lets them re-initialize backends.</summary>
internal sealed record DashboardCaller(RequestContext Context, bool CanReinit, bool SignedIn);
