using System.Text;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;

namespace Concordat.Tests.Attestations;

/// <summary>
/// Signing and verifying through the one code path: an envelope verifies with its key, and each kind of damage
/// (payload, payload type, signature, key id, a swapped subject) gives its own one error.
/// </summary>
public sealed class AttestationTests
{
    internal static NoteSignerKey Key { get; } = new("provider", NoteKey.ComputeKeyId("provider", Ed25519PrivateKey.FromSeed(new byte[32]).PublicKey), Ed25519PrivateKey.FromSeed(new byte[32]));

    internal static InTotoStatement Statement() => new(
        [
            AttestationSubject.FromSha256("a.csv", Sha256Digest.Compute("a"u8)),
            AttestationSubject.FromSha256("b.csv", Sha256Digest.Compute("b"u8)),
        ],
        AttestationPredicateTypes.Artifact,
        new JsonObject { ["signer"] = "provider" });

    private static DsseVerifierKey[] Trusted => [DsseVerifierKey.FromNoteKey(Key.VerifierKey)];

    [Fact]
    public void Pae_SpecExample_IsTheSpecBytes()
    {
        var pae = DssePae.Encode("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void Pae_NonAsciiTypeAndEmptyBody_CountsBytes()
    {
        var pae = DssePae.Encode("application/vnd.exämple+json", []);

        Assert.Equal("DSSEv1 29 application/vnd.exämple+json 0 ", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void Sign_ThenVerify_GivesTheStatementAndKey()
    {
        var envelope = Attestation.Sign(Statement(), Key);

        var result = Attestation.Verify(envelope.ToJson(), Trusted, AttestationPredicateTypes.Artifact);

        Assert.True(result.IsVerified, result.Error?.ToString());
        Assert.Equal($"provider+{Key.KeyId:x8}", result.KeyId);
        Assert.Equal(Statement().Subjects, result.Statement.Subjects);
        Assert.Equal("provider", result.Statement.Predicate["signer"]!.GetValue<string>());
        Assert.Null(Attestation.CheckSubjects(result.Statement, Statement().Subjects));
    }

    [Fact]
    public void Sign_Payload_IsACanonicalStatementV1()
    {
        var envelope = Attestation.Sign(Statement(), Key);
        var json = JsonNode.Parse(envelope.Payload.Span)!;

        Assert.Equal("application/vnd.in-toto+json", envelope.PayloadType);
        Assert.Equal("https://in-toto.io/Statement/v1", json["_type"]!.GetValue<string>());
        Assert.Equal(envelope.Payload.ToArray(), CanonicalJson.Canonicalize(envelope.Payload.Span));
        Assert.Equal(Sha256Digest.Compute("a"u8).Hex, json["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public void Verify_TamperedPayload_IsSignatureInvalid()
    {
        var envelope = Attestation.Sign(Statement(), Key);
        var payload = envelope.Payload.ToArray();
        payload[^3] ^= 1;

        var result = Attestation.Verify(new DsseEnvelope(envelope.PayloadType, payload, envelope.Signatures), Trusted);

        Assert.Equal("PRV5004", result.Error?.Code);
    }

    [Fact]
    public void Verify_TamperedPayloadType_IsPayloadTypeUnsupported()
    {
        var envelope = Attestation.Sign(Statement(), Key);

        var result = Attestation.Verify(new DsseEnvelope("application/json", envelope.Payload, envelope.Signatures), Trusted);

        Assert.Equal("PRV5002", result.Error?.Code);
    }

    [Fact]
    public void Verify_TamperedSignature_IsSignatureInvalid()
    {
        var envelope = Attestation.Sign(Statement(), Key);
        var signature = envelope.Signatures[0].Signature.ToArray();
        signature[0] ^= 1;

        var result = Attestation.Verify(new DsseEnvelope(envelope.PayloadType, envelope.Payload, [envelope.Signatures[0] with { Signature = signature }]), Trusted);

        Assert.Equal("PRV5004", result.Error?.Code);
    }

    [Fact]
    public void Verify_ChangedKeyId_IsKeyUnknown()
    {
        var envelope = Attestation.Sign(Statement(), Key);

        var result = Attestation.Verify(new DsseEnvelope(envelope.PayloadType, envelope.Payload, [envelope.Signatures[0] with { KeyId = "provider+00000000" }]), Trusted);

        Assert.Equal("PRV5003", result.Error?.Code);
        Assert.Contains("`provider+00000000`", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnotherKeyWithTheSameName_IsSignatureInvalidOrUnknown()
    {
        var other = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
        var impostor = new NoteSignerKey("provider", Key.KeyId, other);

        var result = Attestation.Verify(Attestation.Sign(Statement(), impostor).ToJson(), Trusted);

        Assert.Equal("PRV5004", result.Error?.Code);
    }

    [Fact]
    public void CheckSubjects_SwappedDigests_IsSubjectMismatch()
    {
        var statement = Statement();
        var swapped = new[]
        {
            AttestationSubject.FromSha256("a.csv", Sha256Digest.Compute("b"u8)),
            AttestationSubject.FromSha256("b.csv", Sha256Digest.Compute("a"u8)),
        };

        var error = Attestation.CheckSubjects(statement, swapped);

        Assert.Equal("PRV5007", error?.Code);
        Assert.Contains("`a.csv`", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckSubjects_MissingOrExtraFile_IsSubjectMismatch()
    {
        var statement = Statement();

        Assert.Equal("PRV5007", Attestation.CheckSubjects(statement, [statement.Subjects[0]])?.Code);
        Assert.Equal("PRV5007", Attestation.CheckSubjects(statement, [.. statement.Subjects, AttestationSubject.FromSha256("c.csv", Sha256Digest.Compute("c"u8))])?.Code);
    }

    [Fact]
    public void CheckSubjects_NameGivenTwiceWithAnotherDigest_IsSubjectMismatch()
    {
        var artifacts = Statement().Subjects;
        var statement = Statement() with { Subjects = [.. artifacts, AttestationSubject.FromSha256("a.csv", Sha256Digest.Compute("tampered"u8))] };

        var error = Attestation.CheckSubjects(statement, artifacts);

        Assert.Equal("PRV5007", error?.Code);
        Assert.Contains("`a.csv` twice", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnexpectedPredicateType_IsRefused()
    {
        var result = Attestation.Verify(Attestation.Sign(Statement(), Key).ToJson(), Trusted, AttestationPredicateTypes.Model);

        Assert.Equal("PRV5006", result.Error?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"payloadType\":\"x\",\"payload\":\"%%\",\"signatures\":[{\"sig\":\"\"}]}")]
    [InlineData("{\"payloadType\":\"x\",\"payload\":\"\",\"signatures\":[]}")]
    [InlineData("{\"payloadType\":\"x\",\"payload\":\"\",\"signatures\":[{\"keyid\":1,\"sig\":\"\"}]}")]
    public void Verify_MalformedEnvelope_IsEnvelopeMalformed(string text)
    {
        var result = Attestation.Verify(Encoding.UTF8.GetBytes(text), Trusted);

        Assert.Equal("PRV5001", result.Error?.Code);
    }

    [Fact]
    public void Verify_SignedPayloadThatIsNoStatement_IsStatementMalformed()
    {
        var payload = "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}"u8.ToArray();
        var signature = Key.PrivateKey.Sign(DssePae.Encode(InTotoStatement.PayloadType, payload));
        var envelope = new DsseEnvelope(InTotoStatement.PayloadType, payload, [new DsseSignature(Attestation.KeyIdOf(Key.VerifierKey), signature)]);

        Assert.Equal("PRV5005", Attestation.Verify(envelope, Trusted).Error?.Code);
    }
}
