using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Crypto;

namespace Concordat.Tests.Agreements.Signatures;

public sealed class AgreementStatusTests
{
    private static readonly DateTimeOffset s_inForceAt = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private static readonly NoteSignerKey s_provider = Key("provider-org", 1);
    private static readonly NoteSignerKey s_lab = Key("lab", 2);
    private static readonly NoteSignerKey s_stranger = Key("lab", 3);
    private static readonly TrustedKeys s_trusted = TrustedKeys.From([(new SignerId("provider-org"), s_provider.VerifierKey), (new SignerId("lab"), s_lab.VerifierKey)]);

    [Fact]
    public void Evaluate_NoSignatures_IsDraft()
    {
        var status = Evaluate(Signed(Read()));

        Assert.Equal(AgreementState.Draft, status.State);
        Assert.Equal([new SignerId("provider-org"), new SignerId("lab")], status.Missing);
    }

    [Fact]
    public void Evaluate_OneOfTwoSigned_IsPartlySignedNamingTheMissingSigner()
    {
        var agreement = Read();

        var status = Evaluate(Signed(agreement, ("provider-org", s_provider)));

        Assert.Equal(AgreementState.PartlySigned, status.State);
        Assert.Equal([new SignerId("lab")], status.Missing);
    }

    [Fact]
    public void Evaluate_AllSignedInsideWindow_IsInForce()
    {
        var status = Evaluate(Signed(Read(), ("provider-org", s_provider), ("lab", s_lab)));

        Assert.Equal(AgreementState.InForce, status.State);
        Assert.True(status.IsInForce);
        Assert.Empty(status.Diagnostics);
    }

    [Theory]
    [InlineData("2025-12-31T23:59:59Z", AgreementState.NotYetInEffect)]
    [InlineData("2026-01-01T00:00:00Z", AgreementState.InForce)]
    [InlineData("2027-12-31T23:59:59Z", AgreementState.InForce)]
    [InlineData("2028-01-01T00:00:00Z", AgreementState.Expired)]
    public void Evaluate_AtWindowEdges_FromIsInclusiveUntilExclusive(string at, AgreementState expected)
    {
        var status = AgreementStatusEvaluator.Evaluate(Signed(Read(), ("provider-org", s_provider), ("lab", s_lab)), [], s_trusted, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, status.State);
    }

    [Fact]
    public void Evaluate_SignedByUnpinnedKey_IsNotInForceAndSaysTheKeyDiffers()
    {
        var status = Evaluate(Signed(Read(), ("provider-org", s_provider), ("lab", s_stranger)));

        Assert.Equal(AgreementState.PartlySigned, status.State);
        var diagnostic = Assert.Single(status.Diagnostics);
        Assert.Equal(AgreementDiagnosticCodes.SignatureInvalid.Code, diagnostic.Code);
        Assert.Contains("not the pinned key", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DocumentNamesAnotherKey_WarnsThatItDiffersFromThePinnedKey()
    {
        var text = AgreementReaderTests.Minimal.Replace("roles: [recipient] }", $"roles: [recipient], keys: [\"{s_stranger.VerifierKey}\"] }}", StringComparison.Ordinal);
        var agreement = AgreementReader.Read(text, "demo.yaml").Agreement!;

        var verification = AgreementVerifier.Verify(agreement, Signed(agreement, ("provider-org", s_provider), ("lab", s_lab)).Signatures, s_trusted);

        Assert.True(verification.IsFullySigned);
        var warning = Assert.Single(verification.Diagnostics);
        Assert.Equal(AgreementDiagnosticCodes.KeyDiffersFromPinned.Code, warning.Code);
    }

    [Fact]
    public void Verify_DocumentChangedAfterSigning_ReportsSignatureForOtherDocument()
    {
        var signatures = Signed(Read(), ("provider-org", s_provider), ("lab", s_lab)).Signatures;
        var amended = AgreementReader.Read(AgreementReaderTests.Minimal.Replace("Demo agreement", "Demo agreement, amended", StringComparison.Ordinal), "demo.yaml").Agreement!;

        var verification = AgreementVerifier.Verify(amended, signatures, s_trusted);

        Assert.False(verification.IsFullySigned);
        Assert.All(verification.Diagnostics, d => Assert.Equal(AgreementDiagnosticCodes.SignatureForOtherDocument.Code, d.Code));
    }

    [Fact]
    public void Verify_TamperedSignature_IsInvalid()
    {
        var signed = Signed(Read(), ("provider-org", s_provider), ("lab", s_lab));
        var bytes = Convert.FromBase64String(signed.Signatures[1].Signature);
        bytes[0] ^= 1;
        var tampered = signed.Signatures.ToList();
        tampered[1] = tampered[1] with { Signature = Convert.ToBase64String(bytes) };

        var verification = AgreementVerifier.Verify(signed.Agreement, tampered, s_trusted);

        Assert.Equal([new SignerId("lab")], verification.Missing);
        Assert.Equal(AgreementDiagnosticCodes.SignatureInvalid.Code, Assert.Single(verification.Diagnostics).Code);
    }

    [Fact]
    public void Evaluate_ValidTermination_IsTerminatedFromItsEffectiveInstant()
    {
        var signed = Signed(Read(), ("provider-org", s_provider), ("lab", s_lab));
        var ends = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var terminated = signed with { Termination = TerminationFile.Create(signed.Agreement, ends, new SignerId("lab"), s_lab) };

        Assert.Equal(AgreementState.InForce, AgreementStatusEvaluator.Evaluate(terminated, [], s_trusted, ends.AddSeconds(-1)).State);
        var status = AgreementStatusEvaluator.Evaluate(terminated, [], s_trusted, ends);
        Assert.Equal(AgreementState.Terminated, status.State);
        Assert.Equal(ends, status.TerminatedAt);
    }

    [Fact]
    public void Evaluate_TerminationByUnpinnedKey_IsIgnoredWithDiagnostic()
    {
        var signed = Signed(Read(), ("provider-org", s_provider), ("lab", s_lab));
        var forged = signed with { Termination = TerminationFile.Create(signed.Agreement, s_inForceAt.AddDays(-1), new SignerId("lab"), s_stranger) };

        var status = Evaluate(forged);

        Assert.Equal(AgreementState.InForce, status.State);
        Assert.Equal(AgreementDiagnosticCodes.TerminationInvalid.Code, Assert.Single(status.Diagnostics).Code);
    }

    [Fact]
    public void Evaluate_NewerVersionInForce_SupersedesTheOlder()
    {
        var v2 = Signed(Read(AgreementReaderTests.Minimal.Replace("version: 2", "version: 3", StringComparison.Ordinal)), ("provider-org", s_provider), ("lab", s_lab));
        var v1 = Signed(Read(), ("provider-org", s_provider), ("lab", s_lab));

        var older = AgreementStatusEvaluator.Evaluate(v1, [v1, v2], s_trusted, s_inForceAt);
        var newer = AgreementStatusEvaluator.Evaluate(v2, [v1, v2], s_trusted, s_inForceAt);

        Assert.Equal((AgreementState.Superseded, (int?)3), (older.State, older.SupersededBy));
        Assert.Equal(AgreementState.InForce, newer.State);
    }

    [Fact]
    public void Evaluate_NewerVersionOnlyPartlySigned_DoesNotSupersede()
    {
        var v2 = Signed(Read(AgreementReaderTests.Minimal.Replace("version: 2", "version: 3", StringComparison.Ordinal)), ("provider-org", s_provider));
        var v1 = Signed(Read(), ("provider-org", s_provider), ("lab", s_lab));

        Assert.Equal(AgreementState.InForce, AgreementStatusEvaluator.Evaluate(v1, [v1, v2], s_trusted, s_inForceAt).State);
    }

    [Fact]
    public void SignatureFile_WriteThenRead_RoundTrips()
    {
        var signatures = Signed(Read(), ("provider-org", s_provider), ("lab", s_lab)).Signatures;

        var read = SignatureFile.Read(SignatureFile.Write(signatures), "demo.sigs.json", out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal(signatures.OrderBy(s => s.Signer.Value, StringComparer.Ordinal), read);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"format\":\"other/v1\",\"signatures\":[]}")]
    [InlineData("{\"format\":\"concordat-agreement-signatures/v1\",\"signatures\":[{\"signer\":\"a\"}]}")]
    [InlineData("{\"format\":\"concordat-agreement-signatures/v1\",\"signatures\":[{\"signer\":\"a\",\"agreement\":\"b\",\"version\":1,\"digest\":\"sha256:00\",\"key\":\"a+00000000\",\"signature\":\"AA==\"}]}")]
    public void SignatureFile_Malformed_ReportsDiagnosticsAndNoSignature(string text)
    {
        var read = SignatureFile.Read(text, "x.sigs.json", out var diagnostics);

        Assert.Empty(read);
        Assert.All(diagnostics, d => Assert.Equal(AgreementDiagnosticCodes.SignatureFileInvalid.Code, d.Code));
        Assert.NotEmpty(diagnostics);
    }

    [Fact]
    public void TrustedKeys_MalformedLine_ReportsLineAndKeepsTheRest()
    {
        var text = $"# pinned\nlab {s_lab.VerifierKey}\nprovider-org not-a-key\n\n";

        var keys = TrustedKeys.Read(text, "trusted.txt", out var diagnostics);

        Assert.Equal([s_lab.VerifierKey], keys.KeysFor(new SignerId("lab")));
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal((AgreementDiagnosticCodes.TrustedKeysInvalid.Code, 3), (diagnostic.Code, diagnostic.Span!.Line));
    }

    [Fact]
    public void ForAgreement_IsTheDocumentedMessage()
    {
        var digest = Concordat.Core.Sha256Digest.Parse("sha256:" + new string('a', 64));

        var message = SignatureMessages.ForAgreement(new AgreementId("demo"), 2, digest);

        Assert.Equal("concordat-agreement-signature/v1\ndemo\n2\nsha256:" + new string('a', 64) + "\n", System.Text.Encoding.UTF8.GetString(message));
    }

    private static AgreementStatus Evaluate(SignedAgreement signed) => AgreementStatusEvaluator.Evaluate(signed, [], s_trusted, s_inForceAt);

    private static Agreement Read(string? text = null) => AgreementReader.Read(text ?? AgreementReaderTests.Minimal, "demo.yaml").Agreement!;

    private static SignedAgreement Signed(Agreement agreement, params (string Signer, NoteSignerKey Key)[] signers) =>
        new(agreement, [.. signers.Select(s => AgreementSigner.Sign(agreement, new SignerId(s.Signer), s.Key))]);

    private static NoteSignerKey Key(string name, byte seed)
    {
        var key = Ed25519PrivateKey.FromSeed(Enumerable.Repeat(seed, 32).ToArray());
        Assert.True(NoteKey.TryParseSignerKey(NoteKey.FormatSignerKey(name, key), out var signer, out _));
        return signer;
    }
}
