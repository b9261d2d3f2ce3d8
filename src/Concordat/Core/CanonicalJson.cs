using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Core;

/// <summary>
/// The RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence for every JSON value, and digests over it.
/// </summary>
/// <remarks>
/// The output MUST equal, byte for byte, what any conforming RFC 8785 implementation produces for the same
/// value: object members sorted by the UTF-16 code units of their names, no whitespace, strings escaped as
/// §3.2.2.2 says and written as UTF-8, numbers written as ECMAScript <c>Number.prototype.toString</c> writes
/// IEEE 754 doubles. Input MUST be I-JSON (RFC 7493): unique member names, finite numbers, valid Unicode.
/// See docs/formats/canonical-json.md.
/// <see href="https://www.rfc-editor.org/rfc/rfc8785"/>
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/canonical-json.md
public static class CanonicalJson
{
    /// <summary>The deepest nesting of arrays and objects accepted.</summary>
    public const int MaxDepth = 128;

    // Why per thread: the canonical form of each stored entry read back is written only to be compared; one buffer a
    // thread (at most an entry's 64 KiB) replaces an array per entry. Never held across an await.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_matchBuffer;

    /// <summary>Returns the canonical bytes of <paramref name="node"/>.</summary>
    /// <param name="node">The value; <see langword="null"/> is the JSON <c>null</c>.</param>
    /// <returns>The RFC 8785 UTF-8 bytes.</returns>
    /// <exception cref="FormatException">The value is not I-JSON: a NaN or infinite number, a string with an
    /// unpaired surrogate, or nesting deeper than <see cref="MaxDepth"/>.</exception>
    public static byte[] Canonicalize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalJsonWriter.WriteNode(buffer, node, 0);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses <paramref name="utf8Json"/> and returns its canonical bytes.</summary>
    /// <param name="utf8Json">One JSON value as UTF-8; whitespace around it is allowed.</param>
    /// <returns>The RFC 8785 UTF-8 bytes.</returns>
    /// <exception cref="FormatException">The input is not JSON, or not I-JSON (duplicate member names, numbers
    /// outside the double range, unpaired surrogates, nesting deeper than <see cref="MaxDepth"/>).</exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json) =>
        TryCanonicalize(utf8Json, out var canonical, out var error) ? canonical : throw new FormatException(error);

    /// <summary>Parses <paramref name="utf8Json"/> and returns its canonical bytes, or why it cannot.</summary>
    /// <param name="utf8Json">One JSON value as UTF-8; whitespace around it is allowed.</param>
    /// <param name="canonical">The RFC 8785 UTF-8 bytes, when the input is I-JSON.</param>
    /// <param name="error">One line saying what is wrong with the input, when it is not.</param>
    /// <returns><see langword="true"/> when the input was canonicalized.</returns>
    public static bool TryCanonicalize(
        ReadOnlySpan<byte> utf8Json,
        [NotNullWhen(true)] out byte[]? canonical,
        [NotNullWhen(false)] out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (TryWriteTo(utf8Json, buffer, out error))
        {
            canonical = buffer.WrittenSpan.ToArray();
            return true;
        }

        canonical = null;
        return false;
    }

    /// <summary>Parses <paramref name="utf8Json"/> and writes its canonical bytes, or says why it cannot.</summary>
    /// <param name="utf8Json">One JSON value as UTF-8; whitespace around it is allowed.</param>
    /// <param name="output">Receives the RFC 8785 UTF-8 bytes; on failure it MAY hold a partial prefix.</param>
    /// <param name="error">One line saying what is wrong with the input, when it is not I-JSON.</param>
    /// <returns><see langword="true"/> when the input was canonicalized.</returns>
    public static bool TryWriteTo(ReadOnlySpan<byte> utf8Json, IBufferWriter<byte> output, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);

            // Invariant: without AllowMultipleValues the reader throws on anything but whitespace after the value.
            _ = reader.Read();

            CanonicalJsonWriter.WriteElement(output, document.RootElement, 0);
        }
        catch (JsonException e)
        {
            error = InvalidJson(e);
            return false;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Parses <paramref name="utf8Json"/> once, keeping the value, and tells whether the input is already its own
    /// canonical form: the same rejections and messages as <see cref="TryWriteTo"/>, then a byte comparison.
    /// </summary>
    /// <param name="utf8Json">One JSON value as UTF-8.</param>
    /// <param name="value">The value, backed by a document of its own that needs no disposal, when the input is canonical.</param>
    /// <param name="error">Why the input is not canonical JSON, when it is not; <see langword="null"/> with
    /// <see langword="false"/> when it is I-JSON but not in canonical form.</param>
    /// <returns><see langword="true"/> when the input is I-JSON in RFC 8785 canonical form.</returns>
    /// <remarks>For readers of stored canonical bytes (log entries): the canonical form is written into a buffer
    /// kept per thread and compared, so checking allocates nothing beyond the parsed value.</remarks>
    internal static bool TryParseCanonical(ReadOnlySpan<byte> utf8Json, out JsonElement value, out string? error)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var buffer = s_matchBuffer ??= new ArrayBufferWriter<byte>();
        buffer.ResetWrittenCount();
        try
        {
            value = JsonElement.ParseValue(ref reader);

            // Invariant: without AllowMultipleValues the reader throws on anything but whitespace after the value.
            _ = reader.Read();

            CanonicalJsonWriter.WriteElement(buffer, value, 0);
        }
        catch (JsonException e)
        {
            value = default;
            error = InvalidJson(e);
            return false;
        }
        catch (FormatException e)
        {
            value = default;
            error = e.Message;
            return false;
        }

        error = null;
        return utf8Json.SequenceEqual(buffer.WrittenSpan);
    }

    private static string InvalidJson(JsonException e) =>
        $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";

    /// <summary>Writes the canonical bytes of <paramref name="node"/> to <paramref name="output"/>.</summary>
    /// <param name="node">The value; <see langword="null"/> is the JSON <c>null</c>.</param>
    /// <param name="output">Receives the RFC 8785 UTF-8 bytes.</param>
    /// <exception cref="FormatException">The value is not I-JSON; <paramref name="output"/> MAY then hold a
    /// partial prefix.</exception>
    public static void WriteTo(JsonNode? node, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        CanonicalJsonWriter.WriteNode(output, node, 0);
    }

    /// <summary>Writes the canonical bytes of <paramref name="node"/> to <paramref name="output"/>.</summary>
    /// <param name="node">The value; <see langword="null"/> is the JSON <c>null</c>.</param>
    /// <param name="output">Receives the RFC 8785 UTF-8 bytes; nothing is written when the value is not I-JSON.</param>
    /// <exception cref="FormatException">The value is not I-JSON.</exception>
    public static void WriteTo(JsonNode? node, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalJsonWriter.WriteNode(buffer, node, 0);
        output.Write(buffer.WrittenSpan);
    }

    /// <summary>Returns the SHA-256 digest of the canonical bytes of <paramref name="node"/>.</summary>
    /// <param name="node">The value; <see langword="null"/> is the JSON <c>null</c>.</param>
    /// <returns>The digest, written <c>sha256:&lt;hex&gt;</c>.</returns>
    /// <exception cref="FormatException">The value is not I-JSON.</exception>
    public static Sha256Digest Digest(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalJsonWriter.WriteNode(buffer, node, 0);
        return Sha256Digest.Compute(buffer.WrittenSpan);
    }

    /// <summary>Parses <paramref name="utf8Json"/> and returns the SHA-256 digest of its canonical bytes.</summary>
    /// <param name="utf8Json">One JSON value as UTF-8.</param>
    /// <returns>The digest, written <c>sha256:&lt;hex&gt;</c>.</returns>
    /// <exception cref="FormatException">The input is not JSON, or not I-JSON.</exception>
    public static Sha256Digest Digest(ReadOnlySpan<byte> utf8Json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        return TryWriteTo(utf8Json, buffer, out var error) ? Sha256Digest.Compute(buffer.WrittenSpan) : throw new FormatException(error);
    }
}
