using Concordat.Attestations;
using Concordat.Core;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Transparency;
using Concordat.Lineage;

namespace Concordat.Gateway.Lineage;

/// <summary>
/// The lineage graph of this gateway's log (<see cref="LineageGraphBuilder"/>) and of the models registered here,
/// built on the first lineage request and kept by log size: a later request reads only the entries appended since,
/// and builds the graph again only when there were some.
/// </summary>
/// <remarks>
/// <para>Invariant: nothing is read at start-up; the first lineage request reads the log, page by page. A failed read
/// keeps what was read and the next request goes on from there (answered 503 meanwhile).</para>
/// <para>The builder keeps imports, egress, agreements, egress decisions and models only, so memory grows with the
/// graph, not with the log (docs/formats/lineage.md). A graph as of a past tree size is built from the same builder.</para>
/// </remarks>
internal sealed class LineageBook(ILogReader log, AttestationStore attestations, GatewayAttestor attestor) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LineageGraphBuilder _builder = new();
    private readonly HashSet<string> _modelsRead = new(StringComparer.Ordinal);
    private readonly LogCursor _cursor = new(log);
    private LineageGraph? _graph;

    /// <summary>Returns the graph of every entry the log holds now, or as of a smaller tree size.</summary>
    /// <param name="asOf">The tree size to answer as of (a signed checkpoint's, checked by the caller), or <see langword="null"/> for now.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="LineageUnavailableException">The log could not be read.</exception>
    public async Task<LineageGraph> GraphAsync(long? asOf, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool grew;
            try
            {
                // Invariant: entries are added in index order, each once, whichever replica appended them.
                // Only the entries the graph reads are parsed (LineageGraphBuilder.Add of stored bytes).
                grew = await _cursor.CatchUpStoredAsync((index, stored) => _builder.Add(index, stored), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new LineageUnavailableException("the lineage cannot be read from the log", ex);
            }

            if (ReadLoggedModels() || grew || _graph is null)
            {
                _graph = _builder.Build();
            }

            return asOf is { } treeSize ? _builder.Build(treeSize) : _graph;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    // Offers the builder the envelope of every model the log records. Invariant: a model's entry is durable before its
    // envelope is written, so an envelope not there yet is looked for again at the next request.
    // Security: the builder keeps a model only when the envelope's digest is the one its log entry records, and the
    // envelope must verify with this gateway's key, as `concordat lineage --model --trust` requires.
    private bool ReadLoggedModels()
    {
        var added = false;
        foreach (var id in _builder.LoggedModels.Where(m => !_modelsRead.Contains(m)))
        {
            if (!ModelIds.TryParse(id, out var name, out var version) || AttestationStore.Read(attestations.ModelPath(name, version)) is not { } envelope)
            {
                continue;
            }

            _modelsRead.Add(id);
            var verified = Attestation.Verify(envelope, [DsseVerifierKey.FromNoteKey(attestor.Key.VerifierKey)], AttestationPredicateTypes.Model);
            if (verified.IsVerified)
            {
                added |= _builder.AddModel(verified.Statement!, Sha256Digest.Compute(envelope));
            }
        }

        return added;
    }
}

/// <summary>The log could not be read for the lineage graph; the next request tries again.</summary>
internal sealed class LineageUnavailableException(string message, Exception inner) : Exception(message, inner);
