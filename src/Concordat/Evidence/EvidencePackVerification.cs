using Concordat.Core;

namespace Concordat.Evidence;

/// <summary>What an offline verification of a pack found: every problem, what was verified, and against which keys.</summary>
/// <param name="Problems">Every problem found (EVD80xx errors); empty when the pack verifies.</param>
/// <param name="Agreement">The agreement the pack is about, when <c>pack.json</c> reads.</param>
/// <param name="TreeSize">The tree size of the checkpoint the entries are proven against.</param>
/// <param name="RootHash">That checkpoint's root hash, base64.</param>
/// <param name="Counts">What was verified, by kind (<c>files</c>, <c>entries</c>, <c>entries:TYPE</c>, <c>inclusionProofs</c>, ...).</param>
/// <param name="Keys">The keys verification used, each as <c>role: name+hash+base64</c>.</param>
public sealed record EvidencePackVerification(
    IReadOnlyList<Diagnostic> Problems,
    string? Agreement,
    long TreeSize,
    string? RootHash,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<string> Keys)
{
    /// <summary>Gets a value indicating whether the pack verified: no problem at all.</summary>
    public bool IsValid => Problems.Count == 0;
}
