using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Concordat.Crypto;

/// <summary>
/// SHA-256 through the low-level functions of OpenSSL's libcrypto (<c>SHA256_Init</c>, <c>SHA256_Update</c>,
/// <c>SHA256_Final</c>), which the framework's own SHA-256 uses underneath on Linux.
/// </summary>
/// <remarks>
/// Why: the framework reaches SHA-256 through OpenSSL's provider layer, whose fixed cost per call (about 1 µs here)
/// is several times the hashing of a Merkle node or a short field; the low-level functions skip that layer and still
/// use the CPU's SHA extensions. Loaded once per process, and used only when it gives the framework's results on
/// FIPS 180's examples and on inputs across block boundaries; <see cref="Instance"/> is null otherwise (not Linux,
/// no libcrypto 3, or a disagreement), and callers fall back to the framework.
/// </remarks>
internal sealed unsafe class OpenSslSha256
{
    /// <summary>The digest's length in bytes.</summary>
    public const int DigestLength = 32;

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

    /// <summary>Gets the loaded functions, or null where they are missing or disagree with the framework.</summary>
    public static OpenSslSha256? Instance { get; } = Load();

    /// <summary>Computes SHA-256 of <paramref name="data"/>, through libcrypto where it is usable.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="digest">At least <see cref="DigestLength"/> bytes.</param>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (Instance is not { } native)
        {
            SHA256.HashData(data, digest);
            return;
        }

        var state = native.Start();
        native.Update(ref state, data);
        native.Final(ref state, digest);
    }

    /// <summary>Computes SHA-256 of <paramref name="prefix"/> followed by <paramref name="data"/>, without copying them together.</summary>
    /// <param name="prefix">The first byte.</param>
    /// <param name="data">The bytes after it.</param>
    /// <param name="digest">At least <see cref="DigestLength"/> bytes.</param>
    public static void HashData(byte prefix, ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (Instance is not { } native)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData([prefix]);
            hash.AppendData(data);
            hash.GetHashAndReset(digest);
            return;
        }

        var state = native.Start();
        native.Update(ref state, [prefix]);
        native.Update(ref state, data);
        native.Final(ref state, digest);
    }

    /// <summary>Returns the state of a new hash.</summary>
    public Sha256State Start()
    {
        var state = default(Sha256State);
        Check(_init(&state));
        return state;
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="state"/>.</summary>
    public void Update(ref Sha256State state, ReadOnlySpan<byte> data)
    {
        fixed (Sha256State* s = &state)
        fixed (byte* d = data)
        {
            Check(data.Length <= ShortInputLength ? _updateShort(s, d, (nuint)data.Length) : _update(s, d, (nuint)data.Length));
        }
    }

    /// <summary>Writes the digest of <paramref name="state"/>, which is used up.</summary>
    public void Final(ref Sha256State state, Span<byte> digest)
    {
        if (digest.Length < DigestLength)
        {
            throw new ArgumentException($"the destination holds fewer than {DigestLength} bytes", nameof(digest));
        }

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

    // FIPS 180-2 appendix B's one-block and two-block messages, the empty message, and inputs around a block and
    // past the short-input bound, each hashed in two updates.
    private static bool AgreesWithFramework(OpenSslSha256 candidate)
    {
        byte[][] inputs =
        [
            [],
            "abc"u8.ToArray(),
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8.ToArray(),
            Enumerable.Range(0, 64).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, ShortInputLength + 100).Select(i => (byte)(i * 7)).ToArray(),
        ];

        Span<byte> digest = stackalloc byte[DigestLength];
        foreach (var input in inputs)
        {
            var state = candidate.Start();
            candidate.Update(ref state, input.AsSpan(0, input.Length / 2));
            candidate.Update(ref state, input.AsSpan(input.Length / 2));
            candidate.Final(ref state, digest);
            if (!digest.SequenceEqual(SHA256.HashData(input)))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// OpenSSL's <c>SHA256_CTX</c> (include/openssl/sha.h: <c>h[8], Nl, Nh, data[16], num, md_len</c>: 112 bytes, the
/// same since 0.9.8), with room to spare; it holds no pointers, so a copy is a valid state.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Sha256State
{
    private fixed uint _words[32];
}
