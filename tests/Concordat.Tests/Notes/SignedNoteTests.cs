using System.Text;
using Concordat.Crypto;
using Concordat.Notes;

namespace Concordat.Tests.Notes;

public sealed class SignedNoteTests
{
    private static readonly NoteVerifier s_peter = Verifier(NoteVectors.PeterVerifierKey);
    private static readonly NoteVerifier s_enoch = Verifier(NoteVectors.EnochVerifierKey);

    [Fact]
    public void Sign_GoSumdbVector_MatchesByteForByte()
    {
        var signer = NoteSigner.ForEd25519(SignerKey(NoteVectors.PeterSignerKey));

        var note = SignedNote.Sign(NoteVectors.Text, signer);

        Assert.Equal(NoteVectors.Text + "\n" + NoteVectors.PeterSignature, note.ToString());
    }

    [Fact]
    public void AddSignatures_SameKeyAgain_ReplacesItsSignature()
    {
        var signer = NoteSigner.ForEd25519(SignerKey(NoteVectors.PeterSignerKey));
        var stale = new SignedNote(NoteVectors.Text, [new NoteSignature("PeterNeumann", 0xc74f20a3, "BADSIGN=")]);

        var note = stale.AddSignatures(signer);

        Assert.Equal(NoteVectors.Text + "\n" + NoteVectors.PeterSignature, note.ToString());
    }

    [Fact]
    public void Open_OneKnownOneUnknown_VerifiesKnownAndIgnoresOther()
    {
        var result = SignedNote.Open(Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature + NoteVectors.EnochSignature), [s_peter]);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(NoteVectors.Text, result.Note!.Text);
        Assert.Equal(["PeterNeumann"], result.VerifiedSignatures.Select(s => s.Name));
        Assert.Equal(["EnochRoot"], result.UnverifiedSignatures.Select(s => s.Name));
        Assert.Equal(0xaf0cfe78u, result.UnverifiedSignatures[0].KeyId);
    }

    [Fact]
    public void Open_BothKnown_VerifiesBoth()
    {
        var result = SignedNote.Open(Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature + NoteVectors.EnochSignature), [s_peter, s_enoch]);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(["PeterNeumann", "EnochRoot"], result.VerifiedSignatures.Select(s => s.Name));
        Assert.Empty(result.UnverifiedSignatures);
    }

    [Fact]
    public void Open_NoKnownKey_IsNotVerified()
    {
        var result = SignedNote.Open(Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature + NoteVectors.EnochSignature), []);

        Assert.Equal(NoteFailure.NoKnownSignature, result.Failure);
        Assert.Equal(2, result.UnverifiedSignatures.Count);
    }

    [Fact]
    public void Open_SameNameOtherKeyId_IsIgnoredNotVerified()
    {
        var impostor = new NoteVerifier("PeterNeumann", 0xc74f20a4, (_, _) => true);

        var result = SignedNote.Open(Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature), [impostor]);

        Assert.Equal(NoteFailure.NoKnownSignature, result.Failure);
    }

    [Fact]
    public void Open_RepeatedSignatures_CheckedOnceEach()
    {
        var note = NoteVectors.Text + "\n" + NoteVectors.PeterSignature + NoteVectors.PeterSignature + NoteVectors.EnochSignature + NoteVectors.EnochSignature;

        var result = SignedNote.Open(Bytes(note), [s_peter]);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Single(result.VerifiedSignatures);
        Assert.Single(result.UnverifiedSignatures);
    }

    [Fact]
    public void Open_TamperedKnownSignature_RejectsWholeNote()
    {
        var sig = NoteVectors.PeterSignature;
        var note = NoteVectors.Text + "\n" + sig[..60] + "ABCD" + sig[60..] + NoteVectors.EnochSignature;

        var result = SignedNote.Open(Bytes(note), [s_peter, s_enoch]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
        Assert.Contains("PeterNeumann+c74f20a3", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TooManySignatures_IsMalformed()
    {
        var note = NoteVectors.Text + "\n" + string.Concat(Enumerable.Repeat(NoteVectors.PeterSignature, 101));

        var result = SignedNote.Open(Bytes(note), [s_peter]);

        Assert.Equal(NoteFailure.Malformed, result.Failure);
    }

    [Fact]
    public void Open_SixteenSignatures_IsAccepted()
    {
        var note = NoteVectors.Text + "\n" + string.Concat(Enumerable.Repeat(NoteVectors.EnochSignature, 15)) + NoteVectors.PeterSignature;

        Assert.True(SignedNote.Open(Bytes(note), [s_peter]).IsVerified);
    }

    [Theory]
    [InlineData("text only")]
    [InlineData("text then blank line only")]
    [InlineData("signature line without final newline")]
    [InlineData("control character")]
    [InlineData("invalid utf-8")]
    [InlineData("name with space")]
    [InlineData("trailing line that is not a signature")]
    [InlineData("base64 with whitespace")]
    [InlineData("signature without key id and bytes")]
    [InlineData("plain hyphen instead of em dash")]
    public void Open_MalformedNotes_AreMalformed(string what)
    {
        var text = NoteVectors.Text;
        var sig = NoteVectors.PeterSignature;
        byte[] note = what switch
        {
            "text only" => Bytes(text),
            "text then blank line only" => Bytes(text + "\n"),
            "signature line without final newline" => Bytes(text + "\n" + sig[..^1]),
            "control character" => Bytes("\u0001" + text + "\n" + sig),
            "invalid utf-8" => [0xff, .. Bytes(text + "\n" + sig)],
            "name with space" => Bytes(text + "\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"),
            "trailing line that is not a signature" => Bytes(text + "\n" + sig + "Unexpected line.\n"),
            "base64 with whitespace" => Bytes(text + "\n" + sig[..40] + " " + sig[40..]),
            "signature without key id and bytes" => Bytes(text + "\n\u2014 PeterNeumann AAAA\n"),
            "plain hyphen instead of em dash" => Bytes(text + "\n- PeterNeumann" + sig[("\u2014 PeterNeumann".Length)..]),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var result = SignedNote.Open(note, [s_peter]);

        Assert.Equal(NoteFailure.Malformed, result.Failure);
    }

    [Fact]
    public void Open_AnyChangedByte_IsNotVerified()
    {
        var note = Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature);
        Assert.True(SignedNote.Open(note, [s_peter]).IsVerified);

        for (var i = 0; i < note.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x20, 0x80 })
            {
                var changed = note.ToArray();
                changed[i] ^= mask;

                Assert.False(SignedNote.Open(changed, [s_peter]).IsVerified, $"byte {i} ^ 0x{mask:x2}");
            }
        }
    }

    [Fact]
    public void TryParse_SpecExampleNote_ParsesTextWithBlankLineAndOneSignature()
    {
        Assert.True(SignedNote.TryParse(Bytes(NoteVectors.SpecNote), out var note, out var error), error);

        Assert.Equal("Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n", note.Text);
        Assert.Equal("quasimodo.example/salvatore", Assert.Single(note.Signatures).Name);
        Assert.Equal(NoteVectors.SpecNote, note.ToString());
    }

    [Fact]
    public void Sign_TextWithoutFinalNewline_Throws()
    {
        var signer = NoteSigner.ForEd25519(SignerKey(NoteVectors.PeterSignerKey));

        Assert.Throws<ArgumentException>(() => SignedNote.Sign("abc", signer));
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("a\tb\n", signer));
    }

    [Fact]
    public void Open_DuplicateVerifiers_Throws()
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Open(Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature), [s_peter, s_peter]));
    }

    [Fact]
    public void Open_RandomBytes_NeverThrows()
    {
        var random = new Random(42);
        var seed = Bytes(NoteVectors.Text + "\n" + NoteVectors.PeterSignature);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = seed.ToArray();
            for (var j = random.Next(1, 6); j > 0; j--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var cut = bytes[..random.Next(bytes.Length + 1)];

            Assert.False(SignedNote.Open(cut, [s_peter]).IsVerified && !cut.AsSpan().SequenceEqual(seed));
        }
    }

    internal static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    internal static NoteVerifier Verifier(string key) =>
        NoteKey.TryParseVerifierKey(key, out var parsed, out var error) ? NoteVerifier.ForEd25519(parsed) : throw new FormatException(error);

    internal static NoteSignerKey SignerKey(string key) =>
        NoteKey.TryParseSignerKey(key, out var parsed, out var error) ? parsed : throw new FormatException(error);
}
