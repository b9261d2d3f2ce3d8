using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Tests.Notes;

public sealed class CheckpointTests
{
    [Fact]
    public void TryParse_SpecExample_ReadsEveryField()
    {
        Assert.True(Checkpoint.TryParse(NoteVectors.SpecCheckpointBody, out var checkpoint, out var error), error);

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.TreeSize);
        Assert.Equal("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", checkpoint.RootHash.ToBase64());
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(NoteVectors.SpecCheckpointBody, checkpoint.ToNoteText());
    }

    [Fact]
    public void TryParse_SpecCosignedExample_IsAWellFormedNoteWithTwoSignatures()
    {
        Assert.True(SignedNote.TryParse(SignedNoteTests.Bytes(NoteVectors.SpecCosignedCheckpoint), out var note, out var error), error);

        Assert.Equal(NoteVectors.SpecCheckpointBody, note.Text);
        Assert.Equal(["example.com/behind-the-sofa", "witness.example.com/w1"], note.Signatures.Select(s => s.Name));
        Assert.True(Checkpoint.TryParse(note.Text, out _, out _));
    }

    [Fact]
    public void TryParse_ExtensionLines_AreKeptInOrder()
    {
        var text = NoteVectors.SpecCheckpointBody + "ext one\next two\n";

        Assert.True(Checkpoint.TryParse(text, out var checkpoint, out _));

        Assert.Equal(["ext one", "ext two"], checkpoint.Extensions);
        Assert.Equal(text, checkpoint.ToNoteText());
    }

    [Theory]
    [InlineData("origin\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "newline")]
    [InlineData("origin\n20852163\n", "three lines")]
    [InlineData("\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "line 1 is empty")]
    [InlineData("origin\n020852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "leading zeros")]
    [InlineData("origin\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "leading zeros")]
    [InlineData("origin\n 5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "leading zeros")]
    [InlineData("origin\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "too large")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", "canonical base64")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "canonical base64")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n", "canonical base64")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", "line 4 is empty")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\r\n", "control character")]
    public void TryParse_MalformedBodies_SayWhy(string text, string expected)
    {
        Assert.False(Checkpoint.TryParse(text, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_EmptyTree_AcceptsZero()
    {
        Assert.True(Checkpoint.TryParse("log\n0\n" + MerkleHash.Empty.ToBase64() + "\n", out var checkpoint, out _));

        Assert.Equal(0, checkpoint.TreeSize);
    }

    [Fact]
    public void TryOpen_SignedByLog_VerifiesAndChecksOrigin()
    {
        var signer = NoteSigner.ForEd25519(SignedNoteTests.SignerKey(NoteVectors.PeterSignerKey));
        var checkpoint = new Checkpoint("PeterNeumann", 8, Merkle.MerkleProofVerifierTests.H(Testing.Merkle.Rfc6962Vectors.Roots[8]));
        var note = checkpoint.Sign(signer).ToBytes();
        var verifier = SignedNoteTests.Verifier(NoteVectors.PeterVerifierKey);

        Assert.True(Checkpoint.TryOpen(note, [verifier], out var opened, out var verification, expectedOrigin: "PeterNeumann"), verification.Reason);
        Assert.Equal(checkpoint, opened);
        Assert.False(Checkpoint.TryOpen(note, [verifier], out _, out verification, expectedOrigin: "someone.else/log"));
        Assert.Contains("someone.else/log", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryOpen_SignedNoteThatIsNotACheckpoint_IsMalformed()
    {
        var verifier = SignedNoteTests.Verifier(NoteVectors.PeterVerifierKey);

        Assert.False(Checkpoint.TryOpen(SignedNoteTests.Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature), [verifier], out _, out var verification));

        Assert.Equal(NoteFailure.Malformed, verification.Failure);
    }
}
