using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Concordat.Crypto;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Crypto;

public sealed class ReusableHmacSha256Tests
{
    private static readonly byte[] s_longKey = Enumerable.Repeat((byte)0xaa, 131).ToArray();

    // Spec: RFC 4231 §4.2-§4.8, HMAC-SHA-256 results (§4.6's is truncated to 128 bits).
    public static TheoryData<string, string, string> Rfc4231Cases => new()
    {
        { Convert.ToHexString(Enumerable.Repeat((byte)0x0b, 20).ToArray()), Convert.ToHexString("Hi There"u8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { Convert.ToHexString("Jefe"u8), Convert.ToHexString("what do ya want for nothing?"u8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { Convert.ToHexString(Enumerable.Repeat((byte)0xaa, 20).ToArray()), Convert.ToHexString(Enumerable.Repeat((byte)0xdd, 50).ToArray()), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", Convert.ToHexString(Enumerable.Repeat((byte)0xcd, 50).ToArray()), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { Convert.ToHexString(Enumerable.Repeat((byte)0x0c, 20).ToArray()), Convert.ToHexString("Test With Truncation"u8), "a3b6167473100ee06e0c796c2955552b" },
        { Convert.ToHexString(s_longKey), Convert.ToHexString("Test Using Larger Than Block-Size Key - Hash Key First"u8), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        {
            Convert.ToHexString(s_longKey),
            Convert.ToHexString(Encoding.ASCII.GetBytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc4231Cases))]
    public void Compute_Rfc4231TestCase_GivesPublishedMac(string keyHex, string dataHex, string expectedHex)
    {
        using var hmac = new ReusableHmacSha256(Convert.FromHexString(keyHex));
        var mac = new byte[ReusableHmacSha256.MacLength];

        hmac.Compute(Convert.FromHexString(dataHex), mac);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(mac)[..expectedHex.Length]);
    }

    [Fact]
    public void Compute_RandomKeysAndValuesInSequence_AgreesWithTheFramework()
    {
        var cases = Gen.Zip(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()), Gen.ArrayOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()))).ToArbitrary();

        Prop.ForAll(cases, pair =>
        {
            var (key, values) = pair;
            using var hmac = new ReusableHmacSha256(key);
            var mac = new byte[ReusableHmacSha256.MacLength];
            foreach (var value in values)
            {
                hmac.Compute(value, mac);
                Assert.Equal(HMACSHA256.HashData(key, value), mac);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(64)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public void Compute_ValueAroundABlockBoundaryOrLong_AgreesWithTheFramework(int length)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var value = RandomNumberGenerator.GetBytes(length);
        using var hmac = new ReusableHmacSha256(key);
        var mac = new byte[ReusableHmacSha256.MacLength];

        hmac.Compute(value, mac);

        Assert.Equal(HMACSHA256.HashData(key, value), mac);
    }

    [Fact]
    public void UsesNativeBlocks_LinuxWithLibcrypto3_IsTrue()
    {
        // The fast path is the point of the type: on the Debian machines this project runs on, it must be in force.
        var hasLibcrypto = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out _);
        using var hmac = new ReusableHmacSha256(new byte[32]);

        Assert.Equal(hasLibcrypto, hmac.UsesNativeBlocks);
    }

    [Fact]
    public void Compute_ShortDestination_Throws()
    {
        using var hmac = new ReusableHmacSha256(new byte[32]);

        Assert.Throws<ArgumentException>(() => hmac.Compute("x"u8, new byte[31]));
    }
}
