using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Concordat.Crypto;

/// <summary>
/// HMAC-SHA256 under one key, computed many times over short values: the pad blocks are hashed once and every MAC
/// resumes from those saved states.
/// </summary>
/// <remarks>
/// <para>
/// Why: the framework's reusable HMAC (<see cref="IncrementalHash"/>) goes through OpenSSL's provider layer and
/// costs about 1.3 µs per short value, six times the two SHA-256 blocks it computes; the pseudonymised egress path
/// runs three per row. Where OpenSSL's libcrypto exports its low-level SHA-256 functions (which use the CPU's SHA
/// extensions), the MAC is RFC 2104 over those, resumed from the inner and outer pad states
/// (<see cref="OpenSslSha256"/>): a value of up to 119 bytes costs two or three block compressions and as many native
/// calls. Elsewhere it falls back to <see cref="IncrementalHash"/>.
/// </para>
/// <para>One instance is NOT safe for concurrent use.</para>
/// </remarks>
internal sealed class ReusableHmacSha256 : IDisposable
{
    /// <summary>The MAC's length in bytes.</summary>
    public const int MacLength = 32;

    private const int BlockLength = OpenSslSha256.BlockLength;

    private readonly IncrementalHash? _fallback;
    private Sha256State _innerPadState;
    private Sha256State _outerPadState;

    /// <summary>Keys the MAC.</summary>
    /// <param name="key">The key; any length (RFC 2104 §2: keys longer than a block are hashed first).</param>
    public ReusableHmacSha256(ReadOnlySpan<byte> key)
    {
        if (!OpenSslSha256.IsAvailable)
        {
            _fallback = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            return;
        }

        // Spec: RFC 2104 §2: K is padded with zeros to one block, after hashing when longer than a block.
        Span<byte> block = stackalloc byte[BlockLength];
        block.Clear();
        if (key.Length > BlockLength)
        {
            SHA256.HashData(key, block);
        }
        else
        {
            key.CopyTo(block);
        }

        _innerPadState = StartWithPad(block, 0x36);
        _outerPadState = StartWithPad(block, 0x5c);
        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>Gets whether MACs are computed through OpenSSL's low-level SHA-256 functions.</summary>
    public bool UsesNativeBlocks => _fallback is null;

    /// <summary>Computes <c>HMAC-SHA256(key, data)</c>.</summary>
    /// <param name="data">The value.</param>
    /// <param name="mac">Where the <see cref="MacLength"/> bytes go.</param>
    // Egress calls this once per pseudonymised value: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (mac.Length < MacLength)
        {
            throw new ArgumentException($"the destination holds fewer than {MacLength} bytes", nameof(mac));
        }

        if (_fallback is not null)
        {
            _fallback.AppendData(data);
            _fallback.GetHashAndReset(mac);
            return;
        }

        Span<byte> inner = stackalloc byte[MacLength];
        var state = _innerPadState;
        if (data.Length <= OpenSslSha256.ShortTailLength)
        {
            OpenSslSha256.Finish(ref state, BlockLength, data, inner);
        }
        else
        {
            OpenSslSha256.Update(ref state, data);
            OpenSslSha256.Final(ref state, inner);
        }

        state = _outerPadState;
        OpenSslSha256.Finish(ref state, BlockLength, inner, mac);
    }

    /// <summary>Erases the key's pad states.</summary>
    public void Dispose()
    {
        _fallback?.Dispose();
        _innerPadState = default;
        _outerPadState = default;
    }

    private static Sha256State StartWithPad(ReadOnlySpan<byte> paddedKey, byte pad)
    {
        Span<byte> block = stackalloc byte[BlockLength];
        for (var i = 0; i < BlockLength; i++)
        {
            block[i] = (byte)(paddedKey[i] ^ pad);
        }

        var state = OpenSslSha256.Start();
        OpenSslSha256.Update(ref state, block);
        CryptographicOperations.ZeroMemory(block);
        return state;
    }
}
