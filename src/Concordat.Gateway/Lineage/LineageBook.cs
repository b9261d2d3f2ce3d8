using Concordat.Gateway.Transparency;
using Concordat.Lineage;

namespace Concordat.Gateway.Lineage;

/// <summary>
/// The lineage graph of this gateway's log (<see cref="LineageGraphBuilder"/>), built on the first lineage request and
/// kept by log size: a later request reads only the entries appended since, and builds the graph again only when there
/// were some.
/// </summary>
/// <remarks>
/// <para>Invariant: nothing is read at start-up; the first lineage request reads the log, page by page. A failed read
/// keeps what was read and the next request goes on from there (answered 503 meanwhile).</para>
/// <para>The builder keeps imports, egress, agreements and egress decisions only, so memory grows with the graph, not
/// with the log (docs/formats/lineage.md).</para>
/// </remarks>
internal sealed class LineageBook(ILogReader log) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LineageGraphBuilder _builder = new();
    private long _read;
    private LineageGraph? _graph;

    /// <summary>Returns the graph of every entry the log holds now.</summary>
    /// <exception cref="LineageUnavailableException">The log could not be read.</exception>
    public async Task<LineageGraph> GraphAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var grew = false;
            try
            {
                await log.ForEachEntryAsync(_read, (index, entry) =>
                {
                    // Invariant: entries are added in index order, each once; _read moves past each one added.
                    if (entry is not null)
                    {
                        _builder.Add(index, entry);
                    }

                    _read = index + 1;
                    grew = true;
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new LineageUnavailableException("the lineage cannot be read from the log", ex);
            }

            if (grew || _graph is null)
            {
                _graph = _builder.Build();
            }

            return _graph;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();
}

/// <summary>The log could not be read for the lineage graph; the next request tries again.</summary>
internal sealed class LineageUnavailableException(string message, Exception inner) : Exception(message, inner);
