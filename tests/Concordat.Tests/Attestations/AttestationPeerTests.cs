using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Testing.Peers;

namespace Concordat.Tests.Attestations;

/// <summary>
/// Envelopes Concordat writes, checked by code nobody here wrote: @sigstore/core's PAE, and a DSSE verifier written
/// from the specification with node's crypto (tests/node/dsse-verify-ed25519.mjs).
/// </summary>
public sealed class AttestationPeerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Pae_EqualsSigstoreCore()
    {
        var envelope = Attestation.Sign(AttestationTests.Statement(), AttestationTests.Key);
        var input = new JsonObject { ["payloadType"] = envelope.PayloadType, ["payload"] = Convert.ToBase64String(envelope.Payload.Span) };

        var theirs = NodePeer.Run("pae.mjs", input.ToJsonString(), s_timeout);

        Assert.Equal(Convert.ToBase64String(envelope.PreAuthenticationEncoding()), theirs);
    }

    [Fact]
    public void Envelope_VerifiesWithNodeCrypto_AndATamperedOneDoesNot()
    {
        var envelope = Attestation.Sign(AttestationTests.Statement(), AttestationTests.Key);
        var good = Input(envelope.ToJson());
        var tampered = JsonNode.Parse(envelope.ToJson())!;
        tampered["payloadType"] = "application/json";

        Assert.Equal("verified", NodePeer.Run("dsse-verify-ed25519.mjs", good.ToJsonString(), s_timeout));
        Assert.Equal("rejected", NodePeer.Run("dsse-verify-ed25519.mjs", Input(tampered).ToJsonString(), s_timeout));
    }

    private static JsonObject Input(byte[] envelope) => Input(JsonNode.Parse(envelope)!);

    private static JsonObject Input(JsonNode envelope) => new()
    {
        ["envelope"] = envelope.DeepClone(),
        ["publicKey"] = AttestationTests.Key.VerifierKey.PublicKey.ToString(),
        ["keyid"] = Attestation.KeyIdOf(AttestationTests.Key.VerifierKey),
    };
}
