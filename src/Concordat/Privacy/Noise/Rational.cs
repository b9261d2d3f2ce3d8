using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Concordat.Privacy.Noise;

/// <summary>A non-negative exact rational number in lowest terms: the noise parameters (scale, σ²) and ρ.</summary>
/// <remarks>Equality is exact: two rationals are equal when their reduced numerators and denominators are.</remarks>
public readonly record struct Rational
{
    /// <summary>Creates <paramref name="numerator"/> / <paramref name="denominator"/>, reduced.</summary>
    /// <param name="numerator">The numerator; MUST be non-negative.</param>
    /// <param name="denominator">The denominator; MUST be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">The numerator is negative or the denominator not positive.</exception>
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (divisor.IsZero)
        {
            divisor = BigInteger.One;
        }

        Numerator = numerator / divisor;
        Denominator = denominator / divisor;
    }

    /// <summary>Gets zero.</summary>
    public static Rational Zero => new(BigInteger.Zero, BigInteger.One);

    /// <summary>Gets the numerator, in lowest terms.</summary>
    public BigInteger Numerator { get; }

    /// <summary>Gets the denominator, in lowest terms; always positive.</summary>
    public BigInteger Denominator { get; }

    /// <summary>Gets whether the number is zero.</summary>
    public bool IsZero => Numerator.IsZero;

    /// <summary>Adds two rationals exactly.</summary>
    /// <param name="left">The first addend.</param>
    /// <param name="right">The second addend.</param>
    /// <returns>The sum.</returns>
    public static Rational operator +(Rational left, Rational right)
        => new((left.Numerator * right.Denominator) + (right.Numerator * left.Denominator), left.Denominator * right.Denominator);

    /// <summary>Subtracts exactly; the result MUST NOT be negative.</summary>
    /// <param name="left">The minuend.</param>
    /// <param name="right">The subtrahend; at most <paramref name="left"/>.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The difference would be negative.</exception>
    public static Rational operator -(Rational left, Rational right)
        => new((left.Numerator * right.Denominator) - (right.Numerator * left.Denominator), left.Denominator * right.Denominator);

    /// <summary>Multiplies exactly.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <returns>The product.</returns>
    public static Rational operator *(Rational left, Rational right)
        => new(left.Numerator * right.Numerator, left.Denominator * right.Denominator);

    /// <summary>Divides exactly.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor; MUST NOT be zero.</param>
    /// <returns>The quotient.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The divisor is zero.</exception>
    public static Rational operator /(Rational left, Rational right)
        => new(left.Numerator * right.Denominator, left.Denominator * right.Numerator);

    /// <summary>Compares exactly.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether <paramref name="left"/> is at most <paramref name="right"/>.</returns>
    public static bool operator <=(Rational left, Rational right)
        => left.Numerator * right.Denominator <= right.Numerator * left.Denominator;

    /// <summary>Compares exactly.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether <paramref name="left"/> is at least <paramref name="right"/>.</returns>
    public static bool operator >=(Rational left, Rational right) => right <= left;

    /// <summary>Creates the integer <paramref name="value"/>.</summary>
    /// <param name="value">A non-negative integer.</param>
    /// <returns>The rational.</returns>
    public static Rational FromInteger(BigInteger value) => new(value, BigInteger.One);

    /// <summary>Reads <c>n</c>, <c>n/d</c> or a decimal such as <c>2.5</c> exactly.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The rational, when the text is one.</param>
    /// <returns>Whether the text is a non-negative rational with a positive denominator.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out Rational value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!TryParseDigits(text[..slash], out var numerator) || !TryParseDigits(text[(slash + 1)..], out var denominator) || denominator.IsZero)
            {
                return false;
            }

            value = new Rational(numerator, denominator);
            return true;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? string.Empty : text[(point + 1)..];
        if ((whole.Length == 0 && fraction.Length == 0) || (point >= 0 && fraction.Length == 0))
        {
            return false;
        }

        if (!TryParseDigits(whole.Length == 0 ? "0" : whole, out var integerPart) || (fraction.Length > 0 && !TryParseDigits(fraction, out _)))
        {
            return false;
        }

        var scale = BigInteger.Pow(10, fraction.Length);
        var fractionPart = fraction.Length == 0 ? BigInteger.Zero : BigInteger.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
        value = new Rational((integerPart * scale) + fractionPart, scale);
        return true;
    }

    /// <summary>Returns ⌊√x⌋ for a non-negative integer, exactly (Newton's method on integers).</summary>
    /// <param name="value">A non-negative integer.</param>
    /// <returns>The integer square root.</returns>
    public static BigInteger IntegerSquareRoot(BigInteger value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (value < 2)
        {
            return value;
        }

        // Invariant: from any start at or above ⌊√x⌋, the iterates decrease strictly until they reach it.
        var current = BigInteger.One << (int)((value.GetBitLength() / 2) + 1);
        while (true)
        {
            var next = (current + (value / current)) >> 1;
            if (next >= current)
            {
                return current;
            }

            current = next;
        }
    }

    /// <summary>Returns <c>n/d</c>, or <c>n</c> when the denominator is one.</summary>
    /// <returns>The text, which <see cref="TryParse"/> reads back.</returns>
    public override string ToString()
        => Denominator.IsOne
            ? Numerator.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    private static bool TryParseDigits(string text, out BigInteger value)
    {
        value = default;
        return text.Length > 0 && text.All(char.IsAsciiDigit)
            && BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
