using Concordat.Core;

namespace Concordat.Attestations;

/// <summary>One subject of an in-toto statement: a name and a digest set.</summary>
/// <param name="Name">The artifact's name (a relative path for files, an id for a dataset version or model).</param>
/// <param name="Digest">Algorithm to lowercase hex; Concordat always writes <c>sha256</c>.</param>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public sealed record AttestationSubject(string Name, IReadOnlyDictionary<string, string> Digest)
{
    /// <summary>Makes a subject whose digest set is one SHA-256 digest.</summary>
    /// <param name="name">The name.</param>
    /// <param name="digest">The SHA-256 digest of the artifact's bytes.</param>
    /// <returns>The subject.</returns>
    public static AttestationSubject FromSha256(string name, Sha256Digest digest) =>
        new(name, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["sha256"] = digest.Hex });

    /// <summary>Gets the SHA-256 digest, when the digest set has a well-formed one.</summary>
    public Sha256Digest? Sha256 =>
        Digest.TryGetValue("sha256", out var hex) && Sha256Digest.TryParse("sha256:" + hex, out var digest) ? digest : null;

    /// <inheritdoc/>
    public bool Equals(AttestationSubject? other) =>
        other is not null && Name == other.Name && Digest.Count == other.Digest.Count
        && Digest.All(pair => other.Digest.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Digest.Count);
}
