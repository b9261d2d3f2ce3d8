using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;
using Concordat.Privacy;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Privacy;

public sealed class PseudonymiserTests
{
    private const string GoldenPseudonym = "xatv2uxbourylqcwriqgjwcj4an2yiq6";

    private static readonly byte[] s_master = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Pseudonymise_Value_IsTruncatedHmacOfDerivedKeyInLowercaseBase32()
    {
        using var sut = CreateSut("lab");
        var derived = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, s_master, derived, [], Encoding.UTF8.GetBytes("concordat/pseudonym/v1\0lab\0patients"));
        var mac = HMACSHA256.HashData(derived, "NHS-4857773456"u8);

        var pseudonym = sut.Pseudonymise("NHS-4857773456");

        Assert.Equal(ReferenceBase32(mac.AsSpan(0, 20)), pseudonym);
    }

    [Fact]
    public void Pseudonymise_FixedKeyAndValue_MatchesGoldenPseudonym()
    {
        // Invariant: recipients keep pseudonyms and join on them; this value MUST NOT change between releases.
        using var sut = CreateSut("lab");

        var pseudonym = sut.Pseudonymise("NHS-4857773456");

        Assert.Equal(GoldenPseudonym, pseudonym);
    }

    [Fact]
    public void Pseudonymise_SameValueTwice_GivesSamePseudonym()
    {
        using var sut = CreateSut("lab");

        var first = sut.Pseudonymise("alice");
        var second = sut.Pseudonymise("alice");

        Assert.Equal(first, second);
        Assert.Equal(Pseudonymiser.PseudonymLength, first.Length);
        Assert.Matches("^[a-z2-7]{32}$", first);
    }

    [Fact]
    public void Pseudonymise_SameRecipientOtherDataset_GivesOtherPseudonym()
    {
        using var patients = CreateSut("lab");
        using var keyOther = PseudonymKey.Derive(s_master, new PartyId("lab"), new DatasetId("admissions"));
        using var admissions = new Pseudonymiser(keyOther);

        Assert.NotEqual(patients.Pseudonymise("alice"), admissions.Pseudonymise("alice"));
    }

    [Fact]
    public void Pseudonymise_ShortDestination_Throws()
    {
        using var sut = CreateSut("lab");

        Assert.Throws<ArgumentException>(() => sut.Pseudonymise("a"u8, new byte[31]));
    }

    [Fact]
    public void Pseudonymise_TwoRecipients_NeverShareAPseudonym()
    {
        using var lab = CreateSut("lab");
        using var insurer = CreateSut("insurer");

        Prop.ForAll<NonNull<string>[]>(values =>
        {
            var labPseudonyms = values.Select(v => lab.Pseudonymise(v.Get)).ToHashSet(StringComparer.Ordinal);
            var insurerPseudonyms = values.Select(v => insurer.Pseudonymise(v.Get)).ToHashSet(StringComparer.Ordinal);
            return !labPseudonyms.Overlaps(insurerPseudonyms);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Pseudonymise_OneRecipient_EqualPseudonymsExactlyForEqualValues()
    {
        using var lab = CreateSut("lab");

        Prop.ForAll<NonNull<string>, NonNull<string>>((a, b) =>
            (lab.Pseudonymise(a.Get) == lab.Pseudonymise(b.Get)) == (Encoding.UTF8.GetBytes(a.Get).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(b.Get))))
            .QuickCheckThrowOnFailure();
    }

    private static Pseudonymiser CreateSut(string recipient)
    {
        var key = PseudonymKey.Derive(s_master, new PartyId(recipient), new DatasetId("patients"));
        return new Pseudonymiser(key);
    }

    // A deliberately naive RFC 4648 §6 encoder: one bit at a time.
    private static string ReferenceBase32(ReadOnlySpan<byte> bytes)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bits = new StringBuilder();
        foreach (var b in bytes)
        {
            bits.Append(Convert.ToString(b, 2).PadLeft(8, '0'));
        }

        var text = new StringBuilder();
        for (var i = 0; i < bits.Length; i += 5)
        {
            text.Append(Alphabet[Convert.ToInt32(bits.ToString(i, 5), 2)]);
        }

        return text.ToString();
    }
}
