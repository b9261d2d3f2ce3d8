using Concordat.Crypto;

namespace Concordat.Tests.Crypto;

public sealed class Ed25519PrivateKeyTests
{
    // Spec: RFC 8032 §7.1, TEST 2 (one-byte message 0x72).
    private const string Rfc8032Seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    private const string Rfc8032Public = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private const string Rfc8032Signature =
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    [Fact]
    public void Sign_Rfc8032Test2_ProducesPublishedSignature()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));

        var signature = key.Sign([0x72]);

        Assert.Equal(Rfc8032Public, Convert.ToHexStringLower(key.PublicKey.Bytes));
        Assert.Equal(Rfc8032Signature, Convert.ToHexStringLower(signature));
    }

    [Fact]
    public void Verify_ChangedMessage_ReturnsFalse()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        var signature = key.Sign([0x72]);

        Assert.True(key.PublicKey.Verify([0x72], signature));
        Assert.False(key.PublicKey.Verify([0x73], signature));
    }

    [Fact]
    public void ToString_NeverRevealsSeed()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));

        var text = key.ToString();

        Assert.DoesNotContain(Rfc8032Seed, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(Convert.FromHexString(Rfc8032Seed)), text, StringComparison.Ordinal);
    }
}
