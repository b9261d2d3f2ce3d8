using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Concordat.Core;

namespace Concordat.Attestations;

/// <summary>
/// A DSSE envelope in its JSON form: a payload, its type, and signatures over their PAE.
/// </summary>
/// <remarks>
/// Spec: <see href="https://github.com/secure-systems-lab/dsse/blob/master/envelope.md"/> — members
/// <c>payload</c> (base64), <c>payloadType</c> and <c>signatures</c> (<c>keyid</c> optional, <c>sig</c> base64).
/// Readers accept standard and URL-safe base64, with or without padding, as the spec requires; Concordat writes
/// standard base64 with padding.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public sealed class DsseEnvelope
{
    /// <summary>Initializes an envelope.</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <param name="payload">The serialized body.</param>
    /// <param name="signatures">The signatures over the PAE of the type and body.</param>
    public DsseEnvelope(string payloadType, ReadOnlyMemory<byte> payload, IReadOnlyList<DsseSignature> signatures)
    {
        PayloadType = payloadType ?? throw new ArgumentNullException(nameof(payloadType));
        Payload = payload;
        Signatures = signatures ?? throw new ArgumentNullException(nameof(signatures));
    }

    /// <summary>Gets the payload type (<c>application/vnd.in-toto+json</c> for attestations).</summary>
    public string PayloadType { get; }

    /// <summary>Gets the serialized body, exactly the bytes signed.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Gets the signatures.</summary>
    public IReadOnlyList<DsseSignature> Signatures { get; }

    /// <summary>Reads an envelope from its JSON form.</summary>
    /// <param name="utf8Json">The envelope's bytes.</param>
    /// <param name="envelope">The envelope, when it is well formed.</param>
    /// <param name="error">The PRV5001 diagnostic naming what is wrong, otherwise.</param>
    /// <returns><see langword="true"/> when the envelope is well formed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out DsseEnvelope? envelope, [NotNullWhen(false)] out Diagnostic? error)
    {
        envelope = null;
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException exception)
        {
            error = Malformed($"the envelope is not JSON: {exception.Message}");
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            error = Malformed("the envelope is not a JSON object");
            return false;
        }

        if (!TryString(root, "payloadType", out var payloadType, out error)
            || !TryString(root, "payload", out var payloadText, out error))
        {
            return false;
        }

        if (!TryDecodeBase64(payloadText, out var payload))
        {
            error = Malformed("`payload` is not base64");
            return false;
        }

        if (!root.TryGetProperty("signatures", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            error = Malformed("`signatures` is missing, not an array, or empty");
            return false;
        }

        var signatures = new List<DsseSignature>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !TryString(item, "sig", out var sigText, out error))
            {
                error ??= Malformed($"signature {signatures.Count} is not an object");
                return false;
            }

            string? keyId = null;
            if (item.TryGetProperty("keyid", out var keyIdElement))
            {
                if (keyIdElement.ValueKind != JsonValueKind.String)
                {
                    error = Malformed($"`keyid` of signature {signatures.Count} is not a string");
                    return false;
                }

                keyId = keyIdElement.GetString();
            }

            if (!TryDecodeBase64(sigText, out var sig))
            {
                error = Malformed($"`sig` of signature {signatures.Count} is not base64");
                return false;
            }

            signatures.Add(new DsseSignature(string.IsNullOrEmpty(keyId) ? null : keyId, sig));
        }

        envelope = new DsseEnvelope(payloadType, payload, signatures);
        error = null;
        return true;
    }

    /// <summary>Writes the envelope's JSON form: <c>payloadType</c>, <c>payload</c>, <c>signatures</c>, standard base64.</summary>
    /// <returns>The UTF-8 JSON bytes, on one line.</returns>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("payloadType", PayloadType);
            writer.WriteBase64String("payload", Payload.Span);
            writer.WriteStartArray("signatures");
            foreach (var signature in Signatures)
            {
                writer.WriteStartObject();
                if (signature.KeyId is not null)
                {
                    writer.WriteString("keyid", signature.KeyId);
                }

                writer.WriteBase64String("sig", signature.Signature.Span);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Gets the bytes every signature of this envelope covers.</summary>
    /// <returns><c>PAE(payloadType, payload)</c>.</returns>
    public byte[] PreAuthenticationEncoding() => DssePae.Encode(PayloadType, Payload.Span);

    private static bool TryString(JsonElement element, string name, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out Diagnostic? error)
    {
        if (element.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String)
        {
            value = member.GetString()!;
            error = null;
            return true;
        }

        value = null;
        error = Malformed($"`{name}` is missing or not a string");
        return false;
    }

    // Spec: envelope.md — "Either standard or URL-safe encoding is allowed"; padding is optional.
    private static bool TryDecodeBase64(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        var standard = text.Replace('-', '+').Replace('_', '/').TrimEnd('=');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        bytes = new byte[standard.Length / 4 * 3];
        if (Convert.TryFromBase64String(standard, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = null;
        return false;
    }

    private static Diagnostic Malformed(string message) => AttestationErrorCodes.EnvelopeMalformed.Error(message);
}
