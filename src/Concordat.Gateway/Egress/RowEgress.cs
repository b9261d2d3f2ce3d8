using Concordat.Agreements;
using Concordat.Gateway.Datasets;
using Concordat.Gateway.Hosting;
using Concordat.Privacy;

namespace Concordat.Gateway.Egress;

/// <summary>
/// The gateway's egress seam: compiles the grant's obligations into an <see cref="EgressPlan"/> and streams the
/// dataset's newest version through <see cref="EgressWriter"/>.
/// </summary>
/// <remarks>
/// Fails closed: a dataset the agreement does not define, no imported version, rules that cannot be carried out or
/// stored fields that differ from the agreement throw <see cref="InvalidOperationException"/> before a byte is written.
/// </remarks>
internal sealed class RowEgress(DatasetStore store, GatewayWorkspace workspace) : IRowEgress
{
    /// <inheritdoc/>
    public async Task<long> WriteAsync(RowEgressRequest request, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = request.Agreement.Datasets.FirstOrDefault(d => d.Id == request.Dataset)
            ?? throw new InvalidOperationException($"agreement `{request.Agreement.Id}` does not define dataset `{request.Dataset}`");
        var manifest = store.GetLatest(request.Dataset)
            ?? throw new InvalidOperationException($"dataset `{request.Dataset}` has no imported version");

        using var key = PseudonymKey.Derive(workspace.PseudonymKey, request.Recipient, request.Dataset);
        if (!EgressPlan.TryCompile(definition, request.Grant.FieldRules, request.Grant.RowRules, CoveringPurposes(request.Agreement, request.Purpose), null, key, out var plan, out var diagnostics))
        {
            throw new InvalidOperationException($"the obligations of grant `{request.Grant.Id}` cannot be carried out: {string.Join("; ", diagnostics.Select(d => d.Message))}");
        }

        await using var rows = store.OpenRows(manifest);
        var receipt = await EgressWriter.WriteAsync(plan, rows, destination, request.Format, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return receipt.RowsSent;
    }

    /// <summary>The purpose and every broader purpose above it: a row's consent to any of them covers the request.</summary>
    internal static IReadOnlyCollection<PurposeId> CoveringPurposes(Agreement agreement, PurposeId purpose)
    {
        var covering = new HashSet<PurposeId> { purpose };
        var current = purpose;

        // Invariant: the walk ends at a purpose with no broader one, or at a cycle (the set stops growing).
        while (agreement.Purposes.FirstOrDefault(p => p.Id == current)?.Broader is { } broader && covering.Add(broader))
        {
            current = broader;
        }

        return covering;
    }
}
