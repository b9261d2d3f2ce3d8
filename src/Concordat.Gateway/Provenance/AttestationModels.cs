using System.Text.Json.Serialization;

namespace Concordat.Gateway.Provenance;

/// <summary>One attestation the gateway holds, as <c>GET /v1/attestations</c> lists it.</summary>
/// <param name="Kind">What it attests: <c>dataset-version</c>, <c>model</c>, <c>egress</c> or <c>erasure</c>.</param>
/// <param name="Id">The dataset version (<c>dataset@version</c>), the model (<c>name@version</c>), the egress decision id, or the erasure (<c>dataset/commitmentHex</c>).</param>
/// <param name="Recipient">For an egress, the recipient it went to.</param>
/// <param name="Url">Where the envelope is served.</param>
internal sealed record AttestationListing(string Kind, string Id, string? Recipient, string Url);

/// <summary>The key the gateway signs attestations with, as a verifier trusts it.</summary>
/// <param name="KeyId">The envelopes' <c>keyid</c>: <c>name+hash</c>.</param>
/// <param name="VerifierKey">The verifier key, <c>name+hash+base64</c> (C2SP signed-note form).</param>
/// <param name="Source">Whose key it is: <c>provider</c> (the workspace's <c>provider.key</c>) or <c>log</c> (the log key, when there is no provider key).</param>
internal sealed record AttestationKeyResponse(string KeyId, string VerifierKey, string Source);

/// <summary>A DSSE envelope in its JSON form, as the attestation routes serve it (described for the OpenAPI document; the bytes are served as signed).</summary>
/// <param name="PayloadType">Always <c>application/vnd.in-toto+json</c>.</param>
/// <param name="Payload">The statement's canonical JSON, base64.</param>
/// <param name="Signatures">The signatures.</param>
internal sealed record EnvelopeDocument(string PayloadType, string Payload, IReadOnlyList<EnvelopeSignatureDocument> Signatures);

/// <summary>One signature of a DSSE envelope.</summary>
/// <param name="KeyId">The signing key's id, <c>name+hash</c>.</param>
/// <param name="Sig">The Ed25519 signature over the PAE, base64.</param>
internal sealed record EnvelopeSignatureDocument([property: JsonPropertyName("keyid")] string KeyId, string Sig);
