using System.Diagnostics.CodeAnalysis;

namespace Concordat.Notes;

/// <summary>
/// Standard base64 (RFC 4648 §4) accepted only in its one canonical spelling: padded, no whitespace, no stray bits.
/// </summary>
internal static class StrictBase64
{
    // Security: Convert.FromBase64String skips whitespace and ignores non-zero padding bits, so two different texts
    // could decode to the same bytes; re-encoding and comparing keeps every accepted text byte-for-byte canonical.
    public static bool TryDecode(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        var decoded = buffer[..written];
        if (!string.Equals(Convert.ToBase64String(decoded), text, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }
}
