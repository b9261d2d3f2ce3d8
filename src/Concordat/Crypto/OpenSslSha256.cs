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
/// FIPS 180's examples and on inputs across block boundaries; <see cref="IsAvailable"/> is false otherwise (not
/// Linux, no libcrypto 3, or a disagreement), and callers fall back to the framework.
/// </remarks>
internal static unsafe partial class OpenSslSha256
{
    /// <summary>The digest's length in bytes.</summary>
    public const int DigestLength = 32;

    // Invariant: calls on at most this many bytes skip the GC transition; they finish in about a microsecond.
    private const int ShortInputLength = 4096;

    private const string Library = "libcrypto.so.3";

    /// <summary>Gets whether the functions are there and agree with the framework; when false, callers use the framework.</summary>
    public static bool IsAvailable { get; } = Load();

    /// <summary>Computes SHA-256 of <paramref name="data"/>, through libcrypto where it is usable.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="digest">At least <see cref="DigestLength"/> bytes.</param>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (!IsAvailable)
        {
            SHA256.HashData(data, digest);
            return;
        }

        var state = Start();
        Update(ref state, data);
        Final(ref state, digest);
    }

    /// <summary>Computes SHA-256 of <paramref name="prefix"/> followed by <paramref name="data"/>, without copying them together.</summary>
    /// <param name="prefix">The first byte.</param>
    /// <param name="data">The bytes after it.</param>
    /// <param name="digest">At least <see cref="DigestLength"/> bytes.</param>
    public static void HashData(byte prefix, ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (!IsAvailable)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData([prefix]);
            hash.AppendData(data);
            hash.GetHashAndReset(digest);
            return;
        }

        var state = Start();
        Update(ref state, [prefix]);
        Update(ref state, data);
        Final(ref state, digest);
    }

    /// <summary>Returns the state of a new hash.</summary>
    public static Sha256State Start()
    {
        var state = default(Sha256State);
        Check(Sha256Init(&state));
        return state;
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="state"/>.</summary>
    public static void Update(ref Sha256State state, ReadOnlySpan<byte> data)
    {
        fixed (Sha256State* s = &state)
        fixed (byte* d = data)
        {
            Check(data.Length <= ShortInputLength ? Sha256UpdateShort(s, d, (nuint)data.Length) : Sha256Update(s, d, (nuint)data.Length));
        }
    }

    /// <summary>Writes the digest of <paramref name="state"/>, which is used up.</summary>
    public static void Final(ref Sha256State state, Span<byte> digest)
    {
        if (digest.Length < DigestLength)
        {
            throw new ArgumentException($"the destination holds fewer than {DigestLength} bytes", nameof(digest));
        }

        fixed (Sha256State* s = &state)
        fixed (byte* d = digest)
        {
            Check(Sha256Final(d, s));
        }
    }

    private static void Check(int result)
    {
        if (result != 1)
        {
            throw new CryptographicException("libcrypto's SHA-256 failed");
        }
    }

    private static bool Load() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out var library)
        && NativeLibrary.TryGetExport(library, "SHA256_Init", out _)
        && NativeLibrary.TryGetExport(library, "SHA256_Update", out _)
        && NativeLibrary.TryGetExport(library, "SHA256_Final", out _)
        && AgreesWithFramework();

    // Why direct imports rather than function pointers: the JIT inlines a direct call that skips the GC transition,
    // while a call through a pointer went through the runtime's helpers (about 200 ns more per MAC).
    [LibraryImport(Library, EntryPoint = "SHA256_Init")]
    [SuppressGCTransition]
    private static partial int Sha256Init(Sha256State* state);

    [LibraryImport(Library, EntryPoint = "SHA256_Update")]
    [SuppressGCTransition]
    private static partial int Sha256UpdateShort(Sha256State* state, byte* data, nuint length);

    [LibraryImport(Library, EntryPoint = "SHA256_Update")]
    private static partial int Sha256Update(Sha256State* state, byte* data, nuint length);

    [LibraryImport(Library, EntryPoint = "SHA256_Final")]
    [SuppressGCTransition]
    private static partial int Sha256Final(byte* digest, Sha256State* state);

    // FIPS 180-2 appendix B's one-block and two-block messages, the empty message, and inputs around a block and
    // past the short-input bound, each hashed in two updates.
    private static bool AgreesWithFramework()
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
            var state = Start();
            Update(ref state, input.AsSpan(0, input.Length / 2));
            Update(ref state, input.AsSpan(input.Length / 2));
            Final(ref state, digest);
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
