using System.Globalization;

namespace Concordat.Core;

/// <summary>
/// Writes an IEEE 754 double the way ECMAScript <c>Number.prototype.toString</c> does, as RFC 8785 requires.
/// </summary>
// Spec: RFC 8785 §3.2.2.3; ECMA-262 §6.1.6.1.20 Number::toString(x) with radix 10.
internal static class EcmaScriptNumber
{
    /// <summary>The longest text this writer produces: <c>-1.2345678901234567e-308</c> is 24 bytes.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> as UTF-8.</summary>
    /// <param name="value">A finite double.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN and infinities have no JSON form");
        }

        // Spec: ECMA-262 Number::toString step 2: +0 and -0 are both "0".
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        // Invariant: since .NET Core 3.0 "R" yields the shortest digit string that round-trips, and of those the
        // closest to the exact value, which is the (k, s) choice ECMA-262 step 5 makes; only the layout differs.
        Span<byte> shortest = stackalloc byte[MaxLength];
        if (!value.TryFormat(shortest, out var length, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("the shortest round-trip form of a double did not fit in 32 bytes");
        }

        shortest = shortest[..length];
        var negative = shortest[0] == (byte)'-';
        if (negative)
        {
            shortest = shortest[1..];
        }

        Span<byte> digits = stackalloc byte[MaxLength];
        var digitCount = 0;
        var integerDigits = -1;
        var exponent = 0;
        for (var i = 0; i < shortest.Length; i++)
        {
            var b = shortest[i];
            if (b == (byte)'.')
            {
                integerDigits = digitCount;
            }
            else if (b is (byte)'E' or (byte)'e')
            {
                exponent = int.Parse(shortest[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[digitCount++] = b;
            }
        }

        if (integerDigits < 0)
        {
            integerDigits = digitCount;
        }

        // value = 0.d1d2...dk × 10^n with d1 ≠ 0 and dk ≠ 0 (ECMA-262 step 5 names these k and n).
        var leadingZeros = 0;
        while (digits[leadingZeros] == (byte)'0')
        {
            leadingZeros++;
        }

        var end = digitCount;
        while (digits[end - 1] == (byte)'0')
        {
            end--;
        }

        ReadOnlySpan<byte> s = digits[leadingZeros..end];
        var k = s.Length;
        var n = integerDigits + exponent - leadingZeros;

        var written = 0;
        if (negative)
        {
            destination[written++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            // Step 6: the digits followed by n - k zeros.
            s.CopyTo(destination[written..]);
            written += k;
            destination.Slice(written, n - k).Fill((byte)'0');
            written += n - k;
        }
        else if (0 < n && n <= 21)
        {
            // Step 7: the decimal point falls inside the digits.
            s[..n].CopyTo(destination[written..]);
            written += n;
            destination[written++] = (byte)'.';
            s[n..].CopyTo(destination[written..]);
            written += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            // Step 8: "0." then -n zeros then the digits.
            destination[written++] = (byte)'0';
            destination[written++] = (byte)'.';
            destination.Slice(written, -n).Fill((byte)'0');
            written += -n;
            s.CopyTo(destination[written..]);
            written += k;
        }
        else
        {
            // Steps 9 and 10: exponential form d[.ddd]e±x.
            destination[written++] = s[0];
            if (k > 1)
            {
                destination[written++] = (byte)'.';
                s[1..].CopyTo(destination[written..]);
                written += k - 1;
            }

            destination[written++] = (byte)'e';
            destination[written++] = n - 1 >= 0 ? (byte)'+' : (byte)'-';
            if (!Math.Abs(n - 1).TryFormat(destination[written..], out var exponentLength, default, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("the exponent of a double did not fit");
            }

            written += exponentLength;
        }

        return written;
    }
}
