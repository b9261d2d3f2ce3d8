namespace Concordat.Privacy.Noise;

/// <summary>
/// Uniform random 64-bit words, the only randomness the exact noise samplers draw on: a CSPRNG in production
/// (<see cref="CryptoRandomSource"/>), a seeded generator in tests.
/// </summary>
/// <remarks>
/// Implementations MUST return independent, uniformly distributed words. Every probability the samplers realise is
/// exact given that, since they compare uniform integers only (no floating point).
/// </remarks>
public interface IRandomSource
{
    /// <summary>Returns the next uniformly distributed 64-bit word.</summary>
    /// <returns>A word in [0, 2^64).</returns>
    ulong NextUInt64();
}
