namespace Kiln.Server.Dashboard;

/// <summary>The backends table's filter and page, from the query string (<c>state</c>, <c>page</c>); anything unknown means "all" and page 1.</summary>
internal sealed record BackendFilter(string State, int Page)
{
    /// <summary>Rows per page: 50 rows of eight cells render in a few milliseconds and fit a laptop screen or two.</summary>
    public const int PageSize = 50;

    /// <summary>Every state a backend can be in, and <c>attention</c>: any state but ready.</summary>
    public static readonly string[] States = ["attention", "initializing", "ready", "degraded", "failed", "gave_up", "unrecoverable", "stopped"];

    public static BackendFilter From(HttpRequest request)
    {
        var state = request.Query["state"].ToString();
        var page = int.TryParse(request.Query["page"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        return new(Array.IndexOf(States, state) >= 0 ? state : string.Empty, page);
    }

    public bool Matches(BackendRow row) => State switch
    {
        "" => true,
        "attention" => row.State != "ready",
        _ => row.State == State,
    };

    /// <summary>The query string of this filter on <paramref name="page"/>.</summary>
    public string Query(int page) => State.Length == 0 ? $"page={page}" : $"state={Html.Q(State)}&page={page}";
}
