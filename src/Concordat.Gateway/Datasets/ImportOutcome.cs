using Concordat.Core;

namespace Concordat.Gateway.Datasets;

/// <summary>The outcome of an import: the version and its manifest digest, or the diagnostics.</summary>
internal sealed record ImportOutcome(string? Version, Sha256Digest? Manifest, long Rows, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the version was stored.</summary>
    public bool IsImported => Version is not null && Manifest is not null;
}
