using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Tests.Notes;

public sealed class CosignatureV1Tests
{
    private static readonly DateTimeOffset s_time = DateTimeOffset.FromUnixTimeSeconds(1679315147);

    [Fact]
    public void TryGetTime_SpecExampleWitnessLine_ReadsTheSpecTimestamp()
    {
        Assert.True(SignedNote.TryParse(SignedNoteTests.Bytes(NoteVectors.SpecCosignedCheckpoint), out var note, out _));

        Assert.True(CosignatureV1.TryGetTime(note.Signatures[1], out var time));

        Assert.Equal(1679315147, time.ToUnixTimeSeconds());
        Assert.False(CosignatureV1.TryGetTime(note.Signatures[0], out _));
    }

    [Fact]
    public void TryParseVerifierKey_NativeCosignerKey_KeyIdUsesType04()
    {
        Assert.True(CosignatureV1.TryParseVerifierKey(NoteVectors.RemoraCosignerKey, out var verifier, out var error), error);

        Assert.Equal("remora.n621.de", verifier.Name);
        Assert.Equal(0xda77ade7u, verifier.KeyId);
    }

    [Fact]
    public void TryParseVerifierKey_Ed25519Key_IsConvertedToTheCosignatureKeyId()
    {
        Assert.True(CosignatureV1.TryParseVerifierKey(NoteVectors.TestEd25519Key, out var verifier, out _));

        Assert.NotEqual(0x7997405cu, verifier.KeyId);
        Assert.True(NoteKey.TryParseVerifierKey(NoteVectors.TestEd25519Key, out var plain, out _));
        Assert.Equal(NoteKey.ComputeKeyId("TEST", NoteKey.CosignatureV1Type, plain.PublicKey), verifier.KeyId);
    }

    [Theory]
    [InlineData("remora.n621.de+da77ade8+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2")]
    [InlineData("remora.n621.de+da77ade7+BevN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2")]
    [InlineData("remora.n621.de+da77ade7+A+vN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2")]
    [InlineData("remora.n621.de+da77ade7")]
    public void TryParseVerifierKey_ManglingsOfTheVector_AreRejected(string key)
    {
        Assert.False(CosignatureV1.TryParseVerifierKey(key, out _, out _));
    }

    [Fact]
    public void AddSignatures_PartnerCosignsLogCheckpoint_BothVerifyAndAnyChangedByteFails()
    {
        var logKey = SignedNoteTests.SignerKey(NoteVectors.PeterSignerKey);
        var partner = PartnerKey();
        var checkpoint = new Checkpoint("PeterNeumann", 20852163, MerkleHash.Empty);
        var signed = checkpoint.Sign(NoteSigner.ForEd25519(logKey));

        var cosigned = signed.AddSignatures(CosignatureV1.CreateSigner(partner, s_time)).ToBytes();

        var logVerifier = NoteVerifier.ForEd25519(logKey.VerifierKey);
        var partnerVerifier = CosignatureV1.CreateVerifier(partner.Name, partner.PrivateKey.PublicKey);
        var both = SignedNote.Open(cosigned, [logVerifier, partnerVerifier]);
        Assert.True(both.IsVerified, both.Reason);
        Assert.Equal(2, both.VerifiedSignatures.Count);
        Assert.True(CosignatureV1.TryGetTime(both.VerifiedSignatures[1], out var time));
        Assert.Equal(s_time, time);
        // Every byte of the checkpoint body and of the cosignature line is covered; the log's own line is not, since a
        // verifier that knows only the partner ignores it, as the spec requires.
        var cosignatureLine = cosigned.Length - SignedNoteTests.Bytes(both.VerifiedSignatures[1] + "\n").Length;
        var covered = Enumerable.Range(0, signed.Text.Length).Concat(Enumerable.Range(cosignatureLine, cosigned.Length - cosignatureLine));
        foreach (var i in covered)
        {
            var changed = cosigned.ToArray();
            changed[i] ^= 0x04;
            Assert.False(SignedNote.Open(changed, [partnerVerifier]).IsVerified, $"byte {i}");
        }
    }

    [Fact]
    public void CreateVerifier_PlainEd25519SignatureBySameKey_IsNotACosignature()
    {
        var partner = PartnerKey();
        var plain = SignedNote.Sign(NoteVectors.SpecCheckpointBody, NoteSigner.ForEd25519(partner)).ToBytes();

        var result = SignedNote.Open(plain, [CosignatureV1.CreateVerifier(partner.Name, partner.PrivateKey.PublicKey)]);

        Assert.Equal(NoteFailure.NoKnownSignature, result.Failure);
    }

    [Fact]
    public void CreateVerifier_TimestampChangedInSignature_Fails()
    {
        var partner = PartnerKey();
        var verifier = CosignatureV1.CreateVerifier(partner.Name, partner.PrivateKey.PublicKey);
        var signer = CosignatureV1.CreateSigner(partner, s_time);
        var text = SignedNoteTests.Bytes(NoteVectors.SpecCheckpointBody);
        var signature = signer.Sign(text).GetSignatureBytes();

        signature[7] ^= 1;

        Assert.False(verifier.Verify(text, signature));
    }

    [Fact]
    public void FormatVerifierKey_RoundTrips()
    {
        var partner = PartnerKey();

        var text = CosignatureV1.FormatVerifierKey(partner.Name, partner.PrivateKey.PublicKey);

        Assert.StartsWith("partner.example/witness+", text, StringComparison.Ordinal);
        Assert.True(CosignatureV1.TryParseVerifierKey(text, out var verifier, out _));
        Assert.Equal(NoteKey.ComputeKeyId(partner.Name, NoteKey.CosignatureV1Type, partner.PrivateKey.PublicKey), verifier.KeyId);
    }

    private static NoteSignerKey PartnerKey()
    {
        var privateKey = Ed25519PrivateKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        return new NoteSignerKey("partner.example/witness", NoteKey.ComputeKeyId("partner.example/witness", privateKey.PublicKey), privateKey);
    }
}
