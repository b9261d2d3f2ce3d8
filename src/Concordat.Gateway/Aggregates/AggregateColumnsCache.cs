using Concordat.Agreements;
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
    private readonly LinkedList<(Sha256Digest Key, string Dataset, AggregateColumns Columns)> _copies = new();
    private readonly Dictionary<string, long> _clears = new(StringComparer.Ordinal);
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
        var dataset = manifest.DatasetId.Value;
        long clears;
        lock (_lock)
        {
            clears = _clears.GetValueOrDefault(dataset);
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
            // Security: a copy whose build began before the dataset's copies were cleared may hold erased rows: not kept.
            if (!_copies.Any(c => c.Key == key) && _clears.GetValueOrDefault(dataset) == clears)
            {
                _copies.AddFirst((key, dataset, columns));
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

    /// <summary>Drops every copy of <paramref name="dataset"/>: after an erasure, no copy built from a version's old rows may answer again; other datasets' copies are kept.</summary>
    public void Clear(DatasetId dataset)
    {
        lock (_lock)
        {
            _clears[dataset.Value] = _clears.GetValueOrDefault(dataset.Value) + 1;
            for (var node = _copies.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Dataset == dataset.Value)
                {
                    _rows -= node.Value.Columns.RowCount;
                    _copies.Remove(node);
                }

                node = next;
            }
        }
    }

    /// <summary>How many copies are held of <paramref name="dataset"/>.</summary>
    internal int CountOf(DatasetId dataset)
    {
        lock (_lock)
        {
            return _copies.Count(c => c.Dataset == dataset.Value);
        }
    }
}
