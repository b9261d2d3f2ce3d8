using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Concordat.Crypto;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Crypto;

public sealed class OpenSslSha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void HashData_Fips180Example_GivesPublishedDigest(string message, string expectedHex)
    {
        var digest = new byte[OpenSslSha256.DigestLength];

        OpenSslSha256.HashData(System.Text.Encoding.ASCII.GetBytes(message), digest);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void HashData_MillionA_GivesFips180Digest()
    {
        var digest = new byte[OpenSslSha256.DigestLength];

        OpenSslSha256.HashData(Enumerable.Repeat((byte)'a', 1_000_000).ToArray(), digest);

        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void HashData_RandomInputsWithAndWithoutPrefix_AgreeWithTheFramework()
    {
        var inputs = Gen.Zip(ArbMap.Default.GeneratorFor<byte>(), Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())).ToArbitrary();

        Prop.ForAll(inputs, pair =>
        {
            var (prefix, data) = pair;
            var digest = new byte[OpenSslSha256.DigestLength];

            OpenSslSha256.HashData(data, digest);
            Assert.Equal(SHA256.HashData(data), digest);

            OpenSslSha256.HashData(prefix, data, digest);
            Assert.Equal(SHA256.HashData([prefix, .. data]), digest);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void HashData_EveryLengthAroundTheShortPath_AgreesWithTheFramework()
    {
        // Inputs up to ShortTailLength are padded and compressed here; the two-block switch is at 56 bytes.
        var input = RandomNumberGenerator.GetBytes(OpenSslSha256.ShortTailLength + 70);
        var digest = new byte[OpenSslSha256.DigestLength];
        for (var length = 0; length <= input.Length; length++)
        {
            var data = input.AsSpan(0, length);

            OpenSslSha256.HashData(data, digest);
            Assert.Equal(SHA256.HashData(data), digest);

            OpenSslSha256.HashData(0x01, data, digest);
            Assert.Equal(SHA256.HashData([0x01, .. data]), digest);
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 55)]
    [InlineData(1, 56)]
    [InlineData(3, 119)]
    public void Finish_AfterWholeBlocks_GivesTheDigestOfTheWholeMessage(int blocks, int tailLength)
    {
        var message = RandomNumberGenerator.GetBytes((blocks * OpenSslSha256.BlockLength) + tailLength);
        var digest = new byte[OpenSslSha256.DigestLength];
        var state = OpenSslSha256.Start();
        OpenSslSha256.Update(ref state, message.AsSpan(0, blocks * OpenSslSha256.BlockLength));

        OpenSslSha256.Finish(ref state, blocks * OpenSslSha256.BlockLength, message.AsSpan(blocks * OpenSslSha256.BlockLength), digest);

        Assert.Equal(SHA256.HashData(message), digest);
    }

    [Theory]
    [InlineData(0, OpenSslSha256.ShortTailLength + 1)]
    [InlineData(10, 5)]
    public void Finish_TailTooLongOrAfterAPartialBlock_Throws(long hashedBytes, int tailLength)
    {
        var state = Sha256State.Initial;

        Assert.Throws<ArgumentException>(() => OpenSslSha256.Finish(ref state, hashedBytes, new byte[tailLength], new byte[OpenSslSha256.DigestLength]));
    }

    [Fact]
    public void IsAvailable_LinuxWithLibcrypto3_IsTrue()
    {
        // The fast path is the point of the type: on the Debian machines this project runs on, it must be in force.
        var hasLibcrypto = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out _);

        Assert.Equal(hasLibcrypto, OpenSslSha256.IsAvailable);
    }

    [Fact]
    public void HashData_ShortDestination_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => OpenSslSha256.HashData("abc"u8, new byte[31]));
    }
}
