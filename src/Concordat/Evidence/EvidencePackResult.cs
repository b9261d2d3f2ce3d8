using Concordat.Core;

namespace Concordat.Evidence;

/// <summary>The outcome of building a pack: what it holds, or the one reason nothing was built.</summary>
/// <param name="Summary">What the pack holds, when it was built.</param>
/// <param name="Problem">Why it was not (an EVD80xx error), otherwise.</param>
public sealed record EvidencePackResult(EvidencePackSummary? Summary, Diagnostic? Problem)
{
    /// <summary>Gets a value indicating whether the pack was built.</summary>
    public bool IsBuilt => Problem is null;
}
