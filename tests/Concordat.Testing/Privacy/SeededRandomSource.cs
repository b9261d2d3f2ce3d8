using Concordat.Privacy.Noise;

namespace Concordat.Testing.Privacy;

/// <summary>
/// A seeded <see cref="IRandomSource"/> for tests and benchmarks (SplitMix64, Steele, Lea and Flood 2014): the same
/// seed gives the same words on every machine. Not for production: its output is predictable.
/// </summary>
public sealed class SeededRandomSource : IRandomSource
{
    private ulong _state;

    /// <summary>Creates a source that starts from <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    public SeededRandomSource(ulong seed) => _state = seed;

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
