using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Attestations;

namespace Concordat.Tests.Attestations;

/// <summary>
/// The examples published with the specifications (tests/vendor/dsse, tests/vendor/in-toto-attestation) parse, and
/// the DSSE test vector, which carries its ECDSA P-256 key, verifies.
/// </summary>
public sealed class VendoredAttestationTests
{
    private static readonly string s_vendor = Path.Combine(AppContext.BaseDirectory, "vendor");

    public static TheoryData<string> InTotoExamples()
    {
        var names = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(s_vendor, "in-toto-attestation"), "*.json").Order(StringComparer.Ordinal))
        {
            names.Add(Path.GetFileName(file));
        }

        return names;
    }

    [Fact]
    public void DsseTestVector_PaeIsThePrintedOne_AndTheEcdsaSignatureVerifies()
    {
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(s_vendor, "dsse", "protocol-test-vector.json")))!;
        var key = vector["key"]!;
        var trusted = DsseVerifierKey.FromEcdsaP256(string.Empty, Coordinate(key["x"]!), Coordinate(key["y"]!));
        var envelopeBytes = Encoding.UTF8.GetBytes(vector["envelope"]!.ToJsonString());

        Assert.True(DsseEnvelope.TryParse(envelopeBytes, out var envelope, out var error), error?.ToString());
        Assert.Equal(vector["pae"]!.GetValue<string>(), Encoding.UTF8.GetString(envelope.PreAuthenticationEncoding()));
        Assert.Null(envelope.Signatures[0].KeyId);
        Assert.True(trusted.Verify(envelope.PreAuthenticationEncoding(), envelope.Signatures[0].Signature));

        // The payload is `hello world`, not an in-toto statement: the attestation verifier refuses its payload type.
        Assert.Equal("PRV5002", Attestation.Verify(envelope, [trusted]).Error?.Code);
    }

    [Fact]
    public void DsseTestVector_ChangedPayload_DoesNotVerify()
    {
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(s_vendor, "dsse", "protocol-test-vector.json")))!;
        var key = vector["key"]!;
        var trusted = DsseVerifierKey.FromEcdsaP256(string.Empty, Coordinate(key["x"]!), Coordinate(key["y"]!));
        var pae = DssePae.Encode(vector["payloadType"]!.GetValue<string>(), "hello world!"u8);

        Assert.True(DsseEnvelope.TryParse(Encoding.UTF8.GetBytes(vector["envelope"]!.ToJsonString()), out var envelope, out _));
        Assert.False(trusted.Verify(pae, envelope.Signatures[0].Signature));
    }

    [Theory]
    [MemberData(nameof(InTotoExamples))]
    public void InTotoExample_ParsesAsStatementV1(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(s_vendor, "in-toto-attestation", name));
        var json = JsonNode.Parse(bytes)!;

        Assert.True(InTotoStatement.TryParse(bytes, out var statement, out var error), error?.ToString());
        Assert.Equal(json["predicateType"]!.GetValue<string>(), statement.PredicateType);
        Assert.Equal(json["subject"]!.AsArray().Count, statement.Subjects.Count);
    }

    [Fact]
    public void InTotoExamples_AreAllThere()
    {
        Assert.Equal(9, InTotoExamples().Count);
    }

    private static byte[] Coordinate(JsonNode decimalText)
    {
        var value = BigInteger.Parse(decimalText.GetValue<string>(), CultureInfo.InvariantCulture);
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }
}
