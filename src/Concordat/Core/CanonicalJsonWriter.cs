using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Concordat.Core;

/// <summary>
/// Writes the RFC 8785 bytes of a JSON tree to a buffer writer.
/// </summary>
/// <remarks>
/// Input problems (duplicate member names, non-finite numbers, unpaired surrogates, too deep nesting) are
/// thrown as <see cref="FormatException"/>; <see cref="CanonicalJson"/> turns them into its public contract.
/// </remarks>
// Spec: RFC 8785 §3.2 (generation of canonical JSON data).
internal static class CanonicalJsonWriter
{
    // Spec: RFC 8785 §3.2.2.2: exactly these characters are escaped; everything else is written literally.
    private static readonly SearchValues<char> s_escapedChars = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\");

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private static readonly Action<IBufferWriter<byte>, JsonNode?, int> s_writeNode = WriteNode;

    private static readonly Action<IBufferWriter<byte>, JsonElement, int> s_writeElement = WriteElement;

    public static void WriteNode(IBufferWriter<byte> output, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                WriteLiteral(output, JsonValueKind.Null);
                break;
            case JsonObject obj:
                WriteObject(output, obj, depth);
                break;
            case JsonArray array:
                EnterContainer(depth);
                WriteByte(output, (byte)'[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        WriteByte(output, (byte)',');
                    }

                    WriteNode(output, array[i], depth + 1);
                }

                WriteByte(output, (byte)']');
                break;
            case JsonValue value:
                WriteValue(output, value, depth);
                break;
            default:
                throw new InvalidOperationException("a JSON node is neither an object, an array nor a value");
        }
    }

    public static void WriteElement(IBufferWriter<byte> output, JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(output, element, depth);
                break;
            case JsonValueKind.Array:
                EnterContainer(depth);
                WriteByte(output, (byte)'[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        WriteByte(output, (byte)',');
                    }

                    first = false;
                    WriteElement(output, item, depth + 1);
                }

                WriteByte(output, (byte)']');
                break;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (raw.IndexOf((byte)'\\') < 0)
                {
                    // Invariant: the reader validated the UTF-8 and rejects raw control characters in strings, so
                    // a string token without escapes is already in canonical form, quotes included.
                    WriteRaw(output, raw);
                }
                else
                {
                    WriteString(output, GetString(element));
                }

                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    // Spec: RFC 8785 §3.2.2.3 via I-JSON (RFC 7493 §2.2): numbers are IEEE 754 doubles.
                    throw new FormatException($"number `{element.GetRawText()}` is outside the range of an IEEE 754 double");
                }

                WriteNumber(output, number);
                break;
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                WriteLiteral(output, element.ValueKind);
                break;
            default:
                throw new InvalidOperationException("a JSON element has no value");
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonObject obj, int depth)
    {
        EnterContainer(depth);
        var members = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(obj.Count);
        try
        {
            var count = 0;
            foreach (var member in obj)
            {
                members[count++] = member;
            }

            WriteMembers(output, members.AsSpan(0, count), depth, s_writeNode);
        }
        finally
        {
            ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(members, clearArray: true);
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonElement obj, int depth)
    {
        EnterContainer(depth);
        if (TryWritePlainObject(output, obj, depth))
        {
            return;
        }

        var members = ArrayPool<KeyValuePair<string, JsonElement>>.Shared.Rent(obj.GetPropertyCount());
        try
        {
            var count = 0;
            foreach (var property in obj.EnumerateObject())
            {
                members[count++] = new(property.Name, property.Value);
            }

            WriteMembers(output, members.AsSpan(0, count), depth, s_writeElement);
        }
        finally
        {
            ArrayPool<KeyValuePair<string, JsonElement>>.Shared.Return(members, clearArray: true);
        }
    }

    // Why: every log entry read back is checked by writing its canonical form, and a string per member name was most
    // of what that allocated. When every name is printable ASCII without an escape, its raw bytes are already its
    // canonical form (§3.2.2.2 escapes only `"`, `\` and controls) and byte order is UTF-16 code unit order (§3.2.3),
    // so the members are sorted and written from the raw bytes; any other name takes the general path.
    private static bool TryWritePlainObject(IBufferWriter<byte> output, JsonElement obj, int depth)
    {
        var members = ArrayPool<JsonProperty>.Shared.Rent(obj.GetPropertyCount());
        try
        {
            var count = 0;
            foreach (var property in obj.EnumerateObject())
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                if (name.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e) || name.Contains((byte)'\\'))
                {
                    return false;
                }

                members[count++] = property;
            }

            var sorted = members.AsSpan(0, count);
            sorted.Sort(static (x, y) => JsonMarshal.GetRawUtf8PropertyName(x).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(y)));
            WriteByte(output, (byte)'{');
            for (var i = 0; i < sorted.Length; i++)
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(sorted[i]);
                if (i > 0)
                {
                    // Spec: RFC 8785 §3.1 requires I-JSON (RFC 7493 §2.3): member names MUST be unique.
                    if (name.SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(sorted[i - 1])))
                    {
                        throw new FormatException($"member name `{sorted[i].Name}` appears more than once in an object");
                    }

                    WriteByte(output, (byte)',');
                }

                WriteByte(output, (byte)'"');
                WriteRaw(output, name);
                WriteRaw(output, "\":"u8);
                WriteElement(output, sorted[i].Value, depth + 1);
            }

            WriteByte(output, (byte)'}');
            return true;
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(members, clearArray: true);
        }
    }

    private static void WriteMembers<TValue>(
        IBufferWriter<byte> output,
        Span<KeyValuePair<string, TValue>> members,
        int depth,
        Action<IBufferWriter<byte>, TValue, int> writeValue)
    {
        // Spec: RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names, which is ordinal order.
        members.Sort(static (x, y) => string.CompareOrdinal(x.Key, y.Key));
        WriteByte(output, (byte)'{');
        for (var i = 0; i < members.Length; i++)
        {
            var name = members[i].Key;
            if (i > 0)
            {
                // Spec: RFC 8785 §3.1 requires I-JSON (RFC 7493 §2.3): member names MUST be unique. Sorted, any
                // duplicate sits next to its twin.
                if (string.Equals(members[i - 1].Key, name, StringComparison.Ordinal))
                {
                    throw new FormatException($"member name `{name}` appears more than once in an object");
                }

                WriteByte(output, (byte)',');
            }

            WriteString(output, name);
            WriteByte(output, (byte)':');
            writeValue(output, members[i].Value, depth + 1);
        }

        WriteByte(output, (byte)'}');
    }

    private static void WriteValue(IBufferWriter<byte> output, JsonValue value, int depth)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            WriteElement(output, element, depth);
            return;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String when value.TryGetValue<string>(out var text):
                WriteString(output, text);
                return;
            case JsonValueKind.Number when value.TryGetValue<double>(out var number):
                if (!double.IsFinite(number))
                {
                    throw new FormatException($"number `{number}` has no JSON form");
                }

                WriteNumber(output, number);
                return;
            case var kind and (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null):
                WriteLiteral(output, kind);
                return;
            default:
                // Other CLR values (integers, decimals, enums, dates, objects): take their JSON text as
                // System.Text.Json writes it, then canonicalize that like any parsed input.
                WriteSerializedValue(output, value, depth);
                return;
        }
    }

    private static void WriteSerializedValue(IBufferWriter<byte> output, JsonValue value, int depth)
    {
        string json;
        try
        {
            json = value.ToJsonString();
        }
        catch (ArgumentException e)
        {
            // System.Text.Json refuses NaN and infinities held as float or double.
            throw new FormatException("a value has no JSON form", e);
        }

        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = CanonicalJson.MaxDepth });
        WriteElement(output, document.RootElement, depth);
    }

    private static string GetString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // Spec: RFC 8785 §3.2.2.2 and I-JSON (RFC 7493 §2.1): strings MUST be valid Unicode.
            throw new FormatException("a string contains an unpaired surrogate escape", e);
        }
    }

    private static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        WriteByte(output, (byte)'"');
        while (true)
        {
            var next = text.IndexOfAny(s_escapedChars);
            WriteUtf16(output, next < 0 ? text : text[..next]);
            if (next < 0)
            {
                break;
            }

            WriteEscape(output, text[next]);
            text = text[(next + 1)..];
        }

        WriteByte(output, (byte)'"');
    }

    private static void WriteUtf16(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var destination = output.GetSpan(checked(text.Length * 3));
        var status = Utf8.FromUtf16(text, destination, out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            // Spec: I-JSON (RFC 7493 §2.1): strings MUST NOT contain unpaired surrogates.
            throw new FormatException("a string contains an unpaired surrogate");
        }

        output.Advance(written);
    }

    private static void WriteEscape(IBufferWriter<byte> output, char c)
    {
        // Spec: RFC 8785 §3.2.2.2: the two-character escapes where JSON has one, else \u00xx in lowercase hex.
        var shortForm = c switch
        {
            '\b' => (byte)'b',
            '\t' => (byte)'t',
            '\n' => (byte)'n',
            '\f' => (byte)'f',
            '\r' => (byte)'r',
            '"' => (byte)'"',
            '\\' => (byte)'\\',
            _ => (byte)0,
        };
        if (shortForm != 0)
        {
            var span = output.GetSpan(2);
            span[0] = (byte)'\\';
            span[1] = shortForm;
            output.Advance(2);
        }
        else
        {
            var span = output.GetSpan(6);
            "\\u00"u8.CopyTo(span);
            span[4] = HexDigits[c >> 4];
            span[5] = HexDigits[c & 0xf];
            output.Advance(6);
        }
    }

    private static void WriteNumber(IBufferWriter<byte> output, double number)
    {
        var span = output.GetSpan(EcmaScriptNumber.MaxLength);
        output.Advance(EcmaScriptNumber.Format(number, span));
    }

    private static void EnterContainer(int depth)
    {
        if (depth >= CanonicalJson.MaxDepth)
        {
            throw new FormatException($"JSON nesting is deeper than {CanonicalJson.MaxDepth} levels");
        }
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteLiteral(IBufferWriter<byte> output, JsonValueKind kind) => WriteRaw(output, kind switch
    {
        JsonValueKind.True => "true"u8,
        JsonValueKind.False => "false"u8,
        _ => "null"u8,
    });

    private static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
