using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Concordat.Crypto;

/// <summary>
/// SHA-256 through the low-level functions of OpenSSL's libcrypto (<c>SHA256_Init</c>, <c>SHA256_Update</c>,
/// <c>SHA256_Final</c>, <c>SHA256_Transform</c>), which the framework's own SHA-256 uses underneath on Linux.
/// </summary>
/// <remarks>
/// <para>
/// Why: the framework reaches SHA-256 through OpenSSL's provider layer, whose fixed cost per call (about 1 µs here)
/// is several times the hashing of a Merkle node or a short field; the low-level functions skip that layer and still
/// use the CPU's SHA extensions. Loaded once per process, and used only when it gives the framework's results on
/// FIPS 180's examples and on inputs across block boundaries; <see cref="IsAvailable"/> is false otherwise (not
/// Linux, no libcrypto 3, or a disagreement), and callers fall back to the framework.
/// </para>
/// <para>
/// Inputs of at most <see cref="ShortTailLength"/> bytes (a Merkle node, a pseudonymised field, HMAC's outer hash)
/// are padded here and compressed block by block with <c>SHA256_Transform</c>: two native calls at most, where the
/// update-and-final route takes three or four and copies the input into the context's buffer.
/// </para>
/// </remarks>
internal static unsafe partial class OpenSslSha256
{
    /// <summary>The digest's length in bytes.</summary>
    public const int DigestLength = 32;

    /// <summary>The most bytes <see cref="Finish"/> takes after whole blocks: two blocks less the padding's 9 bytes.</summary>
    public const int ShortTailLength = (2 * BlockLength) - 9;

    /// <summary>SHA-256's block length in bytes.</summary>
    public const int BlockLength = 64;

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

        if (data.Length <= ShortTailLength)
        {
            var initial = Sha256State.Initial;
            Finish(ref initial, 0, data, digest);
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
    [SkipLocalsInit]
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

        if (data.Length < ShortTailLength)
        {
            Span<byte> tail = stackalloc byte[ShortTailLength];
            tail[0] = prefix;
            data.CopyTo(tail[1..]);
            var initial = Sha256State.Initial;
            Finish(ref initial, 0, tail[..(data.Length + 1)], digest);
            return;
        }

        var state = Start();
        Update(ref state, [prefix]);
        Update(ref state, data);
        Final(ref state, digest);
    }

    /// <summary>
    /// Writes the digest of a hash whose <paramref name="state"/> has taken <paramref name="hashedBytes"/> bytes in
    /// whole blocks and then takes <paramref name="tail"/>; the state is used up.
    /// </summary>
    /// <param name="state">A state that has taken only whole blocks (from <see cref="Sha256State.Initial"/>, <see cref="Update"/> of whole blocks, or a copy of one).</param>
    /// <param name="hashedBytes">How many bytes the state has taken: a multiple of <see cref="BlockLength"/>.</param>
    /// <param name="tail">The last bytes: at most <see cref="ShortTailLength"/>.</param>
    /// <param name="digest">At least <see cref="DigestLength"/> bytes.</param>
    // Egress calls this once or twice per pseudonymised value: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Finish(ref Sha256State state, long hashedBytes, ReadOnlySpan<byte> tail, Span<byte> digest)
    {
        if (tail.Length > ShortTailLength || hashedBytes % BlockLength != 0)
        {
            throw new ArgumentException($"the tail is longer than {ShortTailLength} bytes or follows a partial block", nameof(tail));
        }

        if (digest.Length < DigestLength)
        {
            throw new ArgumentException($"the destination holds fewer than {DigestLength} bytes", nameof(digest));
        }

        // Spec: FIPS 180-4 §5.1.1: a 1 bit, zeros, then the message's length in bits as a 64-bit big-endian number.
        Span<byte> blocks = stackalloc byte[2 * BlockLength];
        var length = tail.Length + 9 <= BlockLength ? BlockLength : 2 * BlockLength;
        tail.CopyTo(blocks);
        blocks[tail.Length] = 0x80;
        blocks[(tail.Length + 1)..(length - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(blocks[(length - 8)..], (ulong)(hashedBytes + tail.Length) * 8);
        fixed (Sha256State* s = &state)
        fixed (byte* b = blocks)
        {
            Sha256Transform(s, b);
            if (length > BlockLength)
            {
                Sha256Transform(s, b + BlockLength);
            }
        }

        state.WriteDigest(digest);
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
        && NativeLibrary.TryGetExport(library, "SHA256_Transform", out _)
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

    [LibraryImport(Library, EntryPoint = "SHA256_Transform")]
    [SuppressGCTransition]
    private static partial void Sha256Transform(Sha256State* state, byte* block);

    // FIPS 180-2 appendix B's one-block and two-block messages, the empty message, and inputs around a block and
    // past the short-input bound, each hashed in two updates; and each that fits, through Finish.
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

            if (input.Length <= ShortTailLength)
            {
                state = Sha256State.Initial;
                Finish(ref state, 0, input, digest);
                if (!digest.SequenceEqual(SHA256.HashData(input)))
                {
                    return false;
                }
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

    /// <summary>
    /// Gets the state of a new hash for <see cref="OpenSslSha256.Finish"/>: FIPS 180-4 §5.3.3's initial hash value in
    /// <c>h</c>. Not for <c>SHA256_Final</c>, which needs the other fields <see cref="OpenSslSha256.Start"/> sets.
    /// </summary>
    public static Sha256State Initial
    {
        get
        {
            var state = default(Sha256State);
            state._words[0] = 0x6a09e667;
            state._words[1] = 0xbb67ae85;
            state._words[2] = 0x3c6ef372;
            state._words[3] = 0xa54ff53a;
            state._words[4] = 0x510e527f;
            state._words[5] = 0x9b05688c;
            state._words[6] = 0x1f83d9ab;
            state._words[7] = 0x5be0cd19;
            return state;
        }
    }

    /// <summary>Writes <c>h</c> as the 32-byte digest (big-endian words), as <c>SHA256_Final</c> does after padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void WriteDigest(Span<byte> digest)
    {
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(4 * i)..], _words[i]);
        }
    }
}
