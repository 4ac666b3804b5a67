using System.Linq.Expressions;
using System.Reflection;
using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// One page of a list request, by keyset: the rows strictly after the marker row in the sort order.
/// Unlike an offset, a keyset page stays right while rows are added or removed between requests.
/// NULL sorts as the smallest value on every engine (the order says so explicitly), and the
/// "after" predicate uses the same rule, so rows with a null name or updated_at are neither
/// repeated nor skipped.
/// </summary>
internal static class KeysetPaging
{
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    /// <summary>
    /// The page of <paramref name="filtered"/> (the rows of <paramref name="scope"/> that pass the
    /// request's filters) after the marker, which is looked up in <paramref name="scope"/> (the rows
    /// the caller may see: its project), so a marker of another project is "not found".
    /// </summary>
    public static async Task<(List<TEntity> Items, bool MarkerNotFound)> PageAsync<TEntity>(
        IQueryable<TEntity> scope, IQueryable<TEntity> filtered, ListQuery query, CancellationToken cancellationToken)
        where TEntity : class, IListedEntity
    {
        var order = SortColumn.Resolve(query.Sort);
        if (query.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "The limit must not be negative.");
        }

        var rows = filtered;
        if (query.Marker is { } markerId)
        {
            var marker = await scope.Where(HasId<TEntity>(markerId)).AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (marker is null)
            {
                return ([], true);
            }

            rows = rows.Where(After(order, marker));
        }

        var page = Order(rows, order);
        if (query.Offset > 0)
        {
            // Cinder's offset counts from the marker (or the first row), in the same order.
            page = page.Skip(query.Offset);
        }

        if (query.Limit is { } limit)
        {
            page = page.Take(limit);
        }

        return (await page.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false), false);
    }

    private static Expression<Func<TEntity, bool>> HasId<TEntity>(string id)
    {
        var row = Expression.Parameter(typeof(TEntity), "row");
        var holder = new { Id = id };
        return Expression.Lambda<Func<TEntity, bool>>(
            Expression.Equal(Expression.Property(row, SortColumn.Id.Property), Expression.Property(Expression.Constant(holder), nameof(holder.Id))), row);
    }

    private static IQueryable<TEntity> Order<TEntity>(IQueryable<TEntity> rows, IReadOnlyList<(SortColumn Column, bool Descending)> order)
    {
        var row = Expression.Parameter(typeof(TEntity), "row");
        var first = true;
        foreach (var (column, descending) in order)
        {
            var value = Expression.Property(row, column.Property);
            if (column.Nullable)
            {
                var isSet = Expression.Condition(Expression.Equal(value, Expression.Constant(null, value.Type)), Expression.Constant(0), Expression.Constant(1));
                rows = OrderBy(rows, Expression.Lambda(isSet, row), descending, first);
                first = false;
            }

            rows = OrderBy(rows, Expression.Lambda(value, row), descending, first);
            first = false;
        }

        return rows;
    }

    private static IQueryable<TEntity> OrderBy<TEntity>(IQueryable<TEntity> rows, LambdaExpression key, bool descending, bool first)
    {
        var method = (first, descending) switch
        {
            (true, false) => nameof(Queryable.OrderBy),
            (true, true) => nameof(Queryable.OrderByDescending),
            (false, false) => nameof(Queryable.ThenBy),
            (false, true) => nameof(Queryable.ThenByDescending),
        };
        return rows.Provider.CreateQuery<TEntity>(
            Expression.Call(typeof(Queryable), method, [typeof(TEntity), key.ReturnType], rows.Expression, Expression.Quote(key)));
    }

    /// <summary>
    /// (k1 after m1) OR (k1 = m1 AND k2 after m2) OR … over the sort columns, where "after" follows
    /// each column's direction and NULL is the smallest value.
    /// </summary>
    private static Expression<Func<TEntity, bool>> After<TEntity>(IReadOnlyList<(SortColumn Column, bool Descending)> order, TEntity marker)
    {
        var row = Expression.Parameter(typeof(TEntity), "row");

        // A member of a constant: EF Core sends it as a parameter rather than inlining the value.
        var markerRow = Expression.Constant(marker, typeof(TEntity));
        Expression? any = null;
        Expression? tiesSoFar = null;
        foreach (var (column, descending) in order)
        {
            var value = Expression.Property(row, column.Property);
            var markerValue = Expression.Property(markerRow, column.Property);
            var markerIsNull = typeof(TEntity).GetProperty(column.Property)!.GetValue(marker) is null;

            if (AfterValue(value, markerValue, markerIsNull, descending, column.Nullable) is { } after)
            {
                var clause = tiesSoFar is null ? after : Expression.AndAlso(tiesSoFar, after);
                any = any is null ? clause : Expression.OrElse(any, clause);
            }

            var equal = markerIsNull ? IsNull(value) : Expression.Equal(value, markerValue);
            tiesSoFar = tiesSoFar is null ? equal : Expression.AndAlso(tiesSoFar, equal);
        }

        return Expression.Lambda<Func<TEntity, bool>>(any ?? Expression.Constant(false), row);
    }

    private static Expression? AfterValue(Expression value, Expression markerValue, bool markerIsNull, bool descending, bool nullable) =>
        (markerIsNull, descending) switch
        {
            // Ascending from NULL: every value is larger.
            (true, false) => Expression.Not(IsNull(value)),

            // Descending from NULL: NULL is the last value; only ties come after it.
            (true, true) => null,
            (false, false) => Compare(value, markerValue, Expression.GreaterThan),
            (false, true) => nullable
                ? Expression.OrElse(Compare(value, markerValue, Expression.LessThan), IsNull(value))
                : Compare(value, markerValue, Expression.LessThan),
        };

    private static BinaryExpression Compare(Expression value, Expression markerValue, Func<Expression, Expression, BinaryExpression> comparison) =>
        value.Type == typeof(string)
            ? comparison(Expression.Call(StringCompare, value, markerValue), Expression.Constant(0))
            : comparison(value, markerValue);

    private static BinaryExpression IsNull(Expression value) => Expression.Equal(value, Expression.Constant(null, value.Type));
}
