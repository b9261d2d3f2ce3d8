using System.Globalization;
using System.Text;

namespace Concordat.Attestations;

/// <summary>
/// The DSSE pre-authentication encoding, the bytes every DSSE signature covers.
/// </summary>
/// <remarks>
/// Spec: <see href="https://github.com/secure-systems-lab/dsse/blob/master/protocol.md"/> —
/// <c>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, where <c>LEN</c> is the byte length
/// as ASCII decimal without leading zeros and <c>type</c> is UTF-8.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public static class DssePae
{
    private static readonly byte[] s_prefix = "DSSEv1 "u8.ToArray();

    /// <summary>Encodes <paramref name="payloadType"/> and <paramref name="body"/> for signing or verifying.</summary>
    /// <param name="payloadType">The payload type, encoded as UTF-8.</param>
    /// <param name="body">The serialized body, as is.</param>
    /// <returns>The PAE bytes.</returns>
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var typeLength = Encoding.ASCII.GetBytes(type.Length.ToString(CultureInfo.InvariantCulture));
        var bodyLength = Encoding.ASCII.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture));
        var result = new byte[s_prefix.Length + typeLength.Length + 1 + type.Length + 1 + bodyLength.Length + 1 + body.Length];
        var at = 0;
        Append(result, ref at, s_prefix);
        Append(result, ref at, typeLength);
        result[at++] = (byte)' ';
        Append(result, ref at, type);
        result[at++] = (byte)' ';
        Append(result, ref at, bodyLength);
        result[at++] = (byte)' ';
        Append(result, ref at, body);
        return result;
    }

    private static void Append(byte[] target, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(target.AsSpan(at));
        at += bytes.Length;
    }
}
