namespace Concordat.Evidence;

/// <summary>One stored version of the agreement a pack is about, as the registry holds it.</summary>
/// <param name="Version">The version number.</param>
/// <param name="Document">The YAML source as uploaded.</param>
/// <param name="Signatures">Its signatures as a <c>concordat-agreement-signatures/v1</c> file (docs/formats/signatures.md).</param>
public sealed record EvidenceAgreementVersion(int Version, ReadOnlyMemory<byte> Document, string Signatures);
