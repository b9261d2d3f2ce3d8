using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Concordat.Privacy.Noise;

/// <summary>The production <see cref="IRandomSource"/>: the operating system's CSPRNG, read in blocks.</summary>
/// <remarks>One instance is NOT safe for concurrent use; create one per query.</remarks>
public sealed class CryptoRandomSource : IRandomSource
{
    private const int BlockWords = 64;

    private readonly ulong[] _block = new ulong[BlockWords];
    private int _next = BlockWords;

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        if (_next == BlockWords)
        {
            // Security: the noise hides true values only if the attacker cannot predict it, so a CSPRNG.
            RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(_block.AsSpan()));
            _next = 0;
        }

        return _block[_next++];
    }
}
