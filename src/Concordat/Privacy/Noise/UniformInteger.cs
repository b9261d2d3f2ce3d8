using System.Numerics;

namespace Concordat.Privacy.Noise;

/// <summary>Uniform integers below a bound, exactly (no modulo bias), from an <see cref="IRandomSource"/>.</summary>
internal static class UniformInteger
{
    /// <summary>Draws an integer uniformly from [0, <paramref name="bound"/>).</summary>
    /// <typeparam name="T">An integer type: <see cref="UInt128"/> on the fast path, <see cref="BigInteger"/> otherwise.</typeparam>
    /// <param name="random">The source of uniform words.</param>
    /// <param name="bound">The exclusive upper bound; MUST be positive.</param>
    /// <returns>The integer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is not positive.</exception>
    public static T Below<T>(IRandomSource random, T bound)
        where T : IBinaryInteger<T>
    {
        if (bound <= T.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "the bound must be positive");
        }

        if (bound <= T.CreateTruncating(ulong.MaxValue))
        {
            return T.CreateTruncating(Below(random, ulong.CreateTruncating(bound)));
        }

        var bits = int.CreateChecked(T.Log2(bound - T.One)) + 1;
        var mask = (T.One << bits) - T.One;
        var words = (bits + 63) / 64;
        while (true)
        {
            // Invariant: rejection keeps the draw uniform; each round succeeds with probability above 1/2.
            var candidate = T.Zero;
            for (var i = 0; i < words; i++)
            {
                candidate = (candidate << 64) | T.CreateTruncating(random.NextUInt64());
            }

            candidate &= mask;
            if (candidate < bound)
            {
                return candidate;
            }
        }
    }

    /// <summary>Draws a 64-bit integer uniformly from [0, <paramref name="bound"/>).</summary>
    /// <param name="random">The source of uniform words.</param>
    /// <param name="bound">The exclusive upper bound; MUST be positive.</param>
    /// <returns>The integer.</returns>
    public static ulong Below(IRandomSource random, ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);

        // Spec: Lemire, "Fast Random Integer Generation in an Interval" (2019), Algorithm 5: multiply, and reject the
        // few low products that would make some results more likely than others.
        var high = Math.BigMul(random.NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(random.NextUInt64(), bound, out low);
            }
        }

        return high;
    }
}
