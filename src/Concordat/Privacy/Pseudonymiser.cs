using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Concordat.Crypto;

namespace Concordat.Privacy;

/// <summary>
/// Replaces values by keyed pseudonyms: the same value under the same <see cref="PseudonymKey"/> always gives the
/// same pseudonym, and pseudonyms under different keys cannot be linked without the master key.
/// </summary>
/// <remarks>
/// <para>
/// A pseudonym is the first 20 bytes of <c>HMAC-SHA256(key, UTF-8 bytes of the value)</c>, written as 32 characters
/// of RFC 4648 base32 in lowercase (alphabet <c>a-z2-7</c>, no padding): 160 bits. See docs/formats/datasets.md.
/// </para>
/// <para>
/// One instance keeps one HMAC state and reuses it for every value; it is NOT safe for concurrent use. Create one per
/// stream; the key can be shared.
/// </para>
/// </remarks>
// CAUTION: persisted/public format (recipients join on pseudonyms); see docs/formats/datasets.md
public sealed class Pseudonymiser : IDisposable
{
    /// <summary>The length of a pseudonym in characters (and UTF-8 bytes).</summary>
    public const int PseudonymLength = 32;

    private const int TruncatedMacLength = 20;

    private static readonly ushort[] s_base32Pairs = BuildBase32Pairs();

    private static ReadOnlySpan<byte> Base32Alphabet => "abcdefghijklmnopqrstuvwxyz234567"u8;

    private readonly ReusableHmacSha256 _hmac;

    /// <summary>Creates a pseudonymiser under <paramref name="key"/>.</summary>
    /// <param name="key">The key for one recipient and dataset.</param>
    public Pseudonymiser(PseudonymKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _hmac = new ReusableHmacSha256(key.KeyBytes);
    }

    /// <summary>Writes the pseudonym of a UTF-8 value.</summary>
    /// <param name="utf8Value">The value's UTF-8 bytes.</param>
    /// <param name="destination">Where to write the pseudonym's <see cref="PseudonymLength"/> ASCII bytes.</param>
    /// <returns>The number of bytes written: always <see cref="PseudonymLength"/>.</returns>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="PseudonymLength"/>.</exception>
    // Egress calls this once per value: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Pseudonymise(ReadOnlySpan<byte> utf8Value, Span<byte> destination)
    {
        if (destination.Length < PseudonymLength)
        {
            throw new ArgumentException($"the destination holds fewer than {PseudonymLength} bytes", nameof(destination));
        }

        Span<byte> mac = stackalloc byte[ReusableHmacSha256.MacLength];
        _hmac.Compute(utf8Value, mac);
        EncodeBase32(mac[..TruncatedMacLength], destination);
        return PseudonymLength;
    }

    /// <summary>Returns the pseudonym of a text value (its UTF-8 bytes).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The pseudonym.</returns>
    public string Pseudonymise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> output = stackalloc byte[PseudonymLength];
        Pseudonymise(Encoding.UTF8.GetBytes(value), output);
        return Encoding.ASCII.GetString(output);
    }

    /// <summary>Releases the HMAC state.</summary>
    public void Dispose() => _hmac.Dispose();

    // Spec: RFC 4648 §6, in lowercase; 20 bytes are four whole 40-bit groups, so no padding arises. Each group's
    // eight characters are four table lookups of 10 bits, stored with one 8-byte write.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EncodeBase32(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        ref var pairs = ref MemoryMarshal.GetArrayDataReference(s_base32Pairs);
        for (var i = 0; i < TruncatedMacLength / 5; i++)
        {
            var group = ((ulong)BinaryPrimitives.ReadUInt32BigEndian(bytes[(5 * i)..]) << 8) | bytes[(5 * i) + 4];

            // Invariant: every index is masked to 10 bits, and the table holds 1,024 entries.
            var chars = Unsafe.Add(ref pairs, (int)(group >> 30) & 0x3FF)
                | ((ulong)Unsafe.Add(ref pairs, (int)(group >> 20) & 0x3FF) << 16)
                | ((ulong)Unsafe.Add(ref pairs, (int)(group >> 10) & 0x3FF) << 32)
                | ((ulong)Unsafe.Add(ref pairs, (int)group & 0x3FF) << 48);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(8 * i)..], chars);
        }
    }

    // Every 10-bit value's two base32 characters, the first in the low byte (written little-endian).
    private static ushort[] BuildBase32Pairs()
    {
        var pairs = new ushort[1024];
        for (var value = 0; value < pairs.Length; value++)
        {
            pairs[value] = (ushort)(Base32Alphabet[value >> 5] | (Base32Alphabet[value & 0x1F] << 8));
        }

        return pairs;
    }
}
