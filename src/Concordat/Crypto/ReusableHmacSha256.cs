using System.Runtime.InteropServices;
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
/// runs three per row. Where OpenSSL's libcrypto exports its low-level SHA-256 functions (<c>SHA256_Update</c> and
/// <c>SHA256_Final</c>, which use the CPU's SHA extensions), the MAC is RFC 2104 over those, from the inner and
/// outer pad states; elsewhere it falls back to <see cref="IncrementalHash"/>. The native path is checked once per
/// process against the framework's HMAC on RFC 4231's test cases and is not used unless they agree.
/// </para>
/// <para>One instance is NOT safe for concurrent use.</para>
/// </remarks>
internal sealed unsafe class ReusableHmacSha256 : IDisposable
{
    /// <summary>The MAC's length in bytes.</summary>
    public const int MacLength = 32;

    private const int BlockLength = 64;

    private readonly IncrementalHash? _fallback;
    private Sha256State _innerPadState;
    private Sha256State _outerPadState;

    /// <summary>Keys the MAC.</summary>
    /// <param name="key">The key; any length (RFC 2104 §2: keys longer than a block are hashed first).</param>
    public ReusableHmacSha256(ReadOnlySpan<byte> key)
        : this(key, OpenSslSha256.Instance)
    {
    }

    private ReusableHmacSha256(ReadOnlySpan<byte> key, OpenSslSha256? native)
    {
        if (native is null)
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

        _innerPadState = native.StartWithBlock(block, 0x36);
        _outerPadState = native.StartWithBlock(block, 0x5c);
        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>Gets whether MACs are computed through OpenSSL's low-level SHA-256 functions.</summary>
    public bool UsesNativeBlocks => _fallback is null;

    /// <summary>Computes <c>HMAC-SHA256(key, data)</c>.</summary>
    /// <param name="data">The value.</param>
    /// <param name="mac">Where the <see cref="MacLength"/> bytes go.</param>
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

        ComputeWith(OpenSslSha256.Instance!, data, mac);
    }

    /// <summary>Erases the key's pad states.</summary>
    public void Dispose()
    {
        _fallback?.Dispose();
        _innerPadState = default;
        _outerPadState = default;
    }

    // OpenSSL's SHA256_CTX (include/openssl/sha.h: h[8], Nl, Nh, data[16], num, md_len: 112 bytes, stable since
    // 0.9.8), with room to spare; it holds no pointers, so a copy is a valid state.
    [StructLayout(LayoutKind.Sequential)]
    private struct Sha256State
    {
        public fixed uint Words[32];
    }

    // The low-level SHA-256 functions of the libcrypto the framework itself uses on Linux.
    private sealed class OpenSslSha256
    {
        // Invariant: calls on at most this many bytes skip the GC transition; they finish in about a microsecond.
        private const int ShortInputLength = 4096;

        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<Sha256State*, int> _init;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<Sha256State*, byte*, nuint, int> _updateShort;
        private readonly delegate* unmanaged[Cdecl]<Sha256State*, byte*, nuint, int> _update;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, Sha256State*, int> _final;

        private OpenSslSha256(nint init, nint update, nint final)
        {
            _init = (delegate* unmanaged[Cdecl, SuppressGCTransition]<Sha256State*, int>)init;
            _updateShort = (delegate* unmanaged[Cdecl, SuppressGCTransition]<Sha256State*, byte*, nuint, int>)update;
            _update = (delegate* unmanaged[Cdecl]<Sha256State*, byte*, nuint, int>)update;
            _final = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, Sha256State*, int>)final;
        }

        // Null when libcrypto or its SHA-256 functions are missing, or when they disagree with the framework's HMAC.
        public static OpenSslSha256? Instance { get; } = Load();

        public Sha256State StartWithBlock(ReadOnlySpan<byte> paddedKey, byte pad)
        {
            Span<byte> block = stackalloc byte[BlockLength];
            for (var i = 0; i < BlockLength; i++)
            {
                block[i] = (byte)(paddedKey[i] ^ pad);
            }

            var state = default(Sha256State);
            Check(_init(&state));
            Update(ref state, block);
            CryptographicOperations.ZeroMemory(block);
            return state;
        }

        public void Update(ref Sha256State state, ReadOnlySpan<byte> data)
        {
            fixed (Sha256State* s = &state)
            fixed (byte* d = data)
            {
                Check(data.Length <= ShortInputLength ? _updateShort(s, d, (nuint)data.Length) : _update(s, d, (nuint)data.Length));
            }
        }

        public void Final(ref Sha256State state, Span<byte> digest)
        {
            fixed (Sha256State* s = &state)
            fixed (byte* d = digest)
            {
                Check(_final(d, s));
            }
        }

        private static void Check(int result)
        {
            if (result != 1)
            {
                throw new CryptographicException("libcrypto's SHA-256 failed");
            }
        }

        private static OpenSslSha256? Load()
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var library)
                || !NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                || !NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                || !NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                return null;
            }

            var candidate = new OpenSslSha256(init, update, final);
            return AgreesWithFramework(candidate) ? candidate : null;
        }

        // RFC 4231 §4.2, §4.3 and §4.7 (a 20-byte key, a short key, a key longer than a block), and a long value.
        private static bool AgreesWithFramework(OpenSslSha256 candidate)
        {
            var cases = new (byte[] Key, byte[] Data)[]
            {
                (Enumerable.Repeat((byte)0x0b, 20).ToArray(), "Hi There"u8.ToArray()),
                ("Jefe"u8.ToArray(), "what do ya want for nothing?"u8.ToArray()),
                (Enumerable.Repeat((byte)0xaa, 131).ToArray(), "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."u8.ToArray()),
                (Enumerable.Repeat((byte)0x5a, 32).ToArray(), Enumerable.Range(0, ShortInputLength + 100).Select(i => (byte)i).ToArray()),
            };

            Span<byte> mac = stackalloc byte[MacLength];
            foreach (var (key, data) in cases)
            {
                using var hmac = new ReusableHmacSha256(key, candidate);
                hmac.ComputeWith(candidate, data, mac);
                if (!mac.SequenceEqual(HMACSHA256.HashData(key, data)))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private void ComputeWith(OpenSslSha256 native, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        Span<byte> inner = stackalloc byte[MacLength];
        var state = _innerPadState;
        native.Update(ref state, data);
        native.Final(ref state, inner);
        state = _outerPadState;
        native.Update(ref state, inner);
        native.Final(ref state, mac);
    }
}
