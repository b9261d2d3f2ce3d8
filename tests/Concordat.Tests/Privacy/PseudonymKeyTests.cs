using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;
using Concordat.Privacy;

namespace Concordat.Tests.Privacy;

public sealed class PseudonymKeyTests
{
    [Fact]
    public void DeriveKey_Rfc5869TestCase3_MatchesPublishedOutputKeyingMaterial()
    {
        // Spec: RFC 5869 Appendix A.3 (SHA-256, zero-length salt and info); L = 42, of which the key is the first 32 bytes.
        var ikm = Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        const string Okm = "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
        var output = new byte[42];

        PseudonymKey.DeriveKey(ikm, [], output);

        Assert.Equal(Okm, Convert.ToHexStringLower(output));
    }

    [Fact]
    public void BuildInfo_RecipientAndDataset_IsLabelThenNulSeparatedIds()
    {
        var info = PseudonymKey.BuildInfo(new PartyId("lab"), new DatasetId("patients"));

        Assert.Equal("concordat/pseudonym/v1\0lab\0patients"u8.ToArray(), info);
    }

    [Fact]
    public void Derive_ShortMasterKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => PseudonymKey.Derive(new byte[31], new PartyId("lab"), new DatasetId("patients")));
    }

    [Fact]
    public void Derive_IdWithNul_Throws()
    {
        Assert.Throws<ArgumentException>(() => PseudonymKey.Derive(new byte[32], new PartyId("la\0b"), new DatasetId("patients")));
    }

    [Fact]
    public void ToString_NeverRevealsKeyMaterial()
    {
        var master = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        using var key = PseudonymKey.Derive(master, new PartyId("lab"), new DatasetId("patients"));
        var derived = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, derived, [], Encoding.UTF8.GetBytes("concordat/pseudonym/v1\0lab\0patients"));

        var text = key.ToString();

        Assert.DoesNotContain(Convert.ToHexStringLower(derived), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(derived), text, StringComparison.Ordinal);
        Assert.Equal("pseudonym key for `lab` on `patients`", text);
    }
}
