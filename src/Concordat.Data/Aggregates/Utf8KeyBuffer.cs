using System.Text;

namespace Concordat.Data.Aggregates;

/// <summary>Decodes UTF-8 values into one reused buffer, to look them up in a string-keyed dictionary without a string each.</summary>
/// <remarks>Not thread-safe; the span returned is valid until the next call.</remarks>
internal sealed class Utf8KeyBuffer
{
    private char[] _chars = new char[256];

    /// <summary>Decodes <paramref name="value"/>.</summary>
    /// <param name="value">UTF-8 text.</param>
    /// <returns>Its characters, in the buffer.</returns>
    public ReadOnlySpan<char> Decode(ReadOnlySpan<byte> value)
    {
        var length = Encoding.UTF8.GetMaxCharCount(value.Length);
        if (_chars.Length < length)
        {
            _chars = new char[length];
        }

        return _chars.AsSpan(0, Encoding.UTF8.GetChars(value, _chars));
    }
}
