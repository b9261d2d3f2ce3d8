using Concordat.Core;
using Concordat.Data.Aggregates;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Aggregates;

/// <summary>
/// The columnar copies aggregate queries run over, one per dataset version and egress plan, built at the first query
/// and kept while the rows of all copies together stay within <see cref="GatewayOptions.AggregateColumnarRows"/>; the
/// least recently used copy goes first.
/// </summary>
/// <remarks>
/// Security: the key is <see cref="EgressPlan.ComputeDigest"/>, which names the version, the row rules and the
/// recipient's pseudonym key, so a copy built under one grant's consent and residency rules never answers another's.
/// </remarks>
internal sealed class AggregateColumnsCache(IOptions<GatewayOptions> options)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(Sha256Digest Key, AggregateColumns Columns)> _copies = new();
    private long _rows;

    /// <summary>Gets the copy for <paramref name="egress"/> over <paramref name="manifest"/>'s rows, building it when it is not held.</summary>
    /// <param name="egress">The query's egress plan.</param>
    /// <param name="manifest">The dataset version.</param>
    /// <param name="open">Opens the version's stored rows.</param>
    /// <param name="cancellationToken">Stops the build.</param>
    /// <returns>The copy, or null when the version has more rows than the limit: the caller runs the row path.</returns>
    public async Task<AggregateColumns?> GetAsync(EgressPlan egress, DatasetManifest manifest, Func<DatasetRowReader> open, CancellationToken cancellationToken)
    {
        var limit = options.Value.AggregateColumnarRows;
        if (manifest.RowCount > limit)
        {
            return null;
        }

        var key = egress.ComputeDigest(manifest);
        lock (_lock)
        {
            for (var node = _copies.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    _copies.Remove(node);
                    _copies.AddFirst(node);
                    return node.Value.Columns;
                }
            }
        }

        AggregateColumns? columns;
        using (var rows = open())
        {
            columns = await AggregateColumns.BuildAsync(egress, rows, limit, cancellationToken).ConfigureAwait(false);
        }

        if (columns is null)
        {
            return null;
        }

        lock (_lock)
        {
            // Two first queries may build the same copy at once; the later one is dropped, both answers being the same.
            if (!_copies.Any(c => c.Key == key))
            {
                _copies.AddFirst((key, columns));
                _rows += columns.RowCount;
                while (_rows > limit && _copies.Last is { } oldest)
                {
                    _rows -= oldest.Value.Columns.RowCount;
                    _copies.RemoveLast();
                }
            }
        }

        return columns;
    }

    /// <summary>Drops every copy: after an erasure, no copy built from a version's old rows may answer again.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _copies.Clear();
            _rows = 0;
        }
    }
}
