using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Core;

public sealed class CanonicalJsonTests
{
    private static readonly string s_testData = Path.Combine(AppContext.BaseDirectory, "Core", "jcs");

    public static TheoryData<string> PublishedPairs() =>
        [.. Directory.GetFiles(Path.Combine(s_testData, "output"), "*.json").Select(file => Path.GetFileNameWithoutExtension(file.AsSpan()).ToString()).Order(StringComparer.Ordinal)];

    [Fact]
    public void Canonicalize_Rfc8785Section322Example_MatchesPublishedBytes()
    {
        // Spec: RFC 8785 §3.2.2 (input) and §3.2.3 / §3.2.4 (the canonical form of it).
        var input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """u8;

        var canonical = CanonicalJson.Canonicalize(input);

        Assert.Equal(
            """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""",
            Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void Canonicalize_Rfc8785Section323SortingExample_SortsByUtf16CodeUnits()
    {
        // Spec: RFC 8785 §3.2.3: the property values come out in this published order.
        var input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """u8;

        var canonical = CanonicalJson.Canonicalize(input);

        var expected =
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"," +
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\"," +
            "\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), canonical);
        var values = JsonNode.Parse(canonical)!.AsObject().Select(member => member.Value!.GetValue<string>());
        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"],
            values);
    }

    [Theory]
    [MemberData(nameof(PublishedPairs))]
    public void Canonicalize_PublishedTestData_MatchesOutputFile(string name)
    {
        var input = File.ReadAllBytes(Path.Combine(s_testData, "input", name + ".json"));
        var expected = File.ReadAllBytes(Path.Combine(s_testData, "output", name + ".json"));

        var canonical = CanonicalJson.Canonicalize(input);
        var fromNode = CanonicalJson.Canonicalize(JsonNode.Parse(input));

        Assert.Equal(expected, canonical);
        Assert.Equal(expected, fromNode);
    }

    [Theory]
    // Spec: RFC 8785 Appendix B, the published IEEE 754 samples.
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Canonicalize_Rfc8785AppendixBNumber_MatchesPublishedText(string ieeeHex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieeeHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        var canonical = CanonicalJson.Canonicalize(JsonValue.Create(value));

        Assert.Equal(expected, Encoding.UTF8.GetString(canonical));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Canonicalize_NonFiniteNumber_Throws(double value)
    {
        var node = new JsonArray(JsonValue.Create(value));

        Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(node));
    }

    [Theory]
    [InlineData("""{"a!":1,"a":2,"A":3,"_":4,"~":5," ":6,"a ":{"y":1,"x":[{"b":1,"a":2}]}}""")]
    [InlineData("""{"a\"b":1,"a":2,"a\\":3}""")]
    [InlineData("""{"\u00e9":1,"z":2,"a":3}""")]
    [InlineData("""{"\ud83d\ude00":1,"\uffff":2,"a":3}""")]
    [InlineData("""{"\u0062":1,"a":2}""")]
    public void Canonicalize_MemberNames_SortsAsTheNodePathDoes(string json)
    {
        // The element path sorts plain ASCII names by their raw bytes and all others as strings; the node path always
        // sorts strings, so the two agree only if the raw-byte order is the UTF-16 order RFC 8785 §3.2.3 asks for.
        var fromBytes = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json));
        var fromNode = CanonicalJson.Canonicalize(JsonNode.Parse(json));

        Assert.Equal(Encoding.UTF8.GetString(fromNode), Encoding.UTF8.GetString(fromBytes));
    }

    [Theory]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("{\"b\":{\"x\":1,\"x\":2}}")]
    public void TryCanonicalize_DuplicateMemberNameEscapedOrNested_ReturnsError(string json)
    {
        var ok = CanonicalJson.TryCanonicalize(Encoding.UTF8.GetBytes(json), out _, out var error);

        Assert.False(ok);
        Assert.Contains("appears more than once", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400", "number `1e400` is outside the range of an IEEE 754 double")]
    [InlineData("{\"a\":1,\"b\":2,\"a\":3}", "member name `a` appears more than once in an object")]
    [InlineData("\"\\ud800\"", "a string contains an unpaired surrogate escape")]
    [InlineData("{\"a\":1} x", "invalid JSON at line 1, byte 9")]
    [InlineData("{\"a\":1,}", "invalid JSON at line 1, byte 8")]
    [InlineData("", "invalid JSON at line 1, byte 1")]
    [InlineData("[1] // comment", "invalid JSON at line 1, byte 5")]
    public void TryCanonicalize_InvalidInput_ReturnsError(string json, string expectedError)
    {
        var ok = CanonicalJson.TryCanonicalize(Encoding.UTF8.GetBytes(json), out var canonical, out var error);

        Assert.False(ok);
        Assert.Null(canonical);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void Canonicalize_InvalidInput_ThrowsFormatExceptionWithTheError()
    {
        var e = Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize("[1,2"u8));

        Assert.StartsWith("invalid JSON at line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_NestingBeyondMaxDepth_IsRejected()
    {
        var deepest = Encoding.UTF8.GetBytes(new string('[', CanonicalJson.MaxDepth) + new string(']', CanonicalJson.MaxDepth));
        var tooDeep = Encoding.UTF8.GetBytes(new string('[', CanonicalJson.MaxDepth + 1) + new string(']', CanonicalJson.MaxDepth + 1));
        JsonNode node = new JsonArray();
        for (var i = 0; i < CanonicalJson.MaxDepth; i++)
        {
            node = new JsonArray(node);
        }

        Assert.Equal(deepest, CanonicalJson.Canonicalize(deepest));
        Assert.False(CanonicalJson.TryCanonicalize(tooDeep, out _, out _));
        Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(node));
    }

    [Fact]
    public void Canonicalize_UnpairedSurrogateInNode_Throws()
    {
        var node = new JsonObject { ["a"] = "x\ud800y" };

        Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(node));
    }

    [Fact]
    public void Canonicalize_ClrValuesInNode_WrittenAsDoubles()
    {
        var node = new JsonObject
        {
            ["long"] = long.MaxValue,
            ["decimal"] = 4.50m,
            ["int"] = -7,
            ["float"] = 0.1f,
            ["negativeZero"] = -0.0,
            ["guid"] = Guid.Empty,
            ["bool"] = true,
            ["null"] = null,
        };

        var canonical = CanonicalJson.Canonicalize(node);

        // Spec: RFC 8785 §3.2.2.3: every number is an IEEE 754 double. A CLR value counts as the JSON text
        // System.Text.Json writes for it, so 0.1f is the text `0.1`, and long.MaxValue rounds to a double.
        Assert.Equal(
            """{"bool":true,"decimal":4.5,"float":0.1,"guid":"00000000-0000-0000-0000-000000000000","int":-7,"long":9223372036854776000,"negativeZero":0,"null":null}""",
            Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void Canonicalize_ControlCharacters_UseShortOrLowercaseHexEscapes()
    {
        var node = JsonValue.Create("\b\t\n\f\r\u0000\u001f\u007f\u2028/<>&'");

        var canonical = CanonicalJson.Canonicalize(node);

        // Spec: RFC 8785 §3.2.2.2: only U+0000..U+001F, " and \ are escaped; U+007F and U+2028 are literal.
        Assert.Equal("\"\\b\\t\\n\\f\\r\\u0000\\u001f\u007f\u2028/<>&'\"", Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void Canonicalize_NullNode_IsJsonNull()
    {
        Assert.Equal("null"u8.ToArray(), CanonicalJson.Canonicalize((JsonNode?)null));
    }

    [Fact]
    public void Digest_Node_IsSha256OfCanonicalBytes()
    {
        var node = JsonNode.Parse("""{ "b": [1.0, 2], "a": "x" }""");

        var digest = CanonicalJson.Digest(node);

        Assert.Equal(Sha256Digest.Compute("""{"a":"x","b":[1,2]}"""u8), digest);
        Assert.Equal(digest, CanonicalJson.Digest("""{"a":"x","b":[1,2.00]}"""u8));
        // The example in docs/formats/canonical-json.md.
        Assert.Equal("sha256:721ef82f2d6c0997bffb7a8ab3f40f8fb45b0b52ce2af3afa6b0f05efbdc317f", digest.ToString());
    }

    [Fact]
    public void WriteTo_StreamAndBufferWriter_WriteCanonicalBytes()
    {
        var node = JsonNode.Parse("""{"z":1,"a":[true,null]}""");
        using var stream = new MemoryStream();
        var buffer = new ArrayBufferWriter<byte>();

        CanonicalJson.WriteTo(node, stream);
        CanonicalJson.WriteTo(node, buffer);

        Assert.Equal("""{"a":[true,null],"z":1}"""u8.ToArray(), stream.ToArray());
        Assert.Equal("""{"a":[true,null],"z":1}"""u8.ToArray(), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Canonicalize_ReorderedAndReformattedInput_IsInvariantAndIdempotent()
    {
        Prop.ForAll<int>(seed =>
        {
            var random = new Random(seed);
            var tree = RandomJson.Value(random, depth: 0);
            var first = Encoding.UTF8.GetBytes(RandomJson.Render(tree, random));
            var second = Encoding.UTF8.GetBytes(RandomJson.Render(tree, random));

            var canonical = CanonicalJson.Canonicalize(first);

            return canonical.AsSpan().SequenceEqual(CanonicalJson.Canonicalize(second))
                && canonical.AsSpan().SequenceEqual(CanonicalJson.Canonicalize(canonical))
                && canonical.AsSpan().SequenceEqual(CanonicalJson.Canonicalize(JsonNode.Parse(second)));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Canonicalize_AnyFiniteDouble_RoundTripsAndMatchesEcmaScriptGrammar()
    {
        Prop.ForAll<long>(bits =>
        {
            var value = BitConverter.Int64BitsToDouble(bits);
            if (!double.IsFinite(value))
            {
                return true;
            }

            var text = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(JsonValue.Create(value)));

            // Spec: ECMA-262 Number::toString: plain decimals for 1e-7 < |x| < 1e21, exponents otherwise.
            var magnitude = Math.Abs(value);
            var expectExponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21);
            return double.Parse(text, CultureInfo.InvariantCulture) == value
                && text.Contains('e', StringComparison.Ordinal) == expectExponent
                && !text.Contains('E', StringComparison.Ordinal)
                && !text.Contains(".e", StringComparison.Ordinal)
                && !text.EndsWith('.');
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>A random JSON tree and renderings of it that differ only in member order and whitespace.</summary>
    private static class RandomJson
    {
        private static readonly string[] s_whitespace = ["", " ", "\n", "\t", "\r\n  "];

        private static readonly string[] s_stringParts =
            ["a", "B", "1", "\"", "\\", "/", "\n", "\u0000", "\u001f", "\u007f", "é", "€", "\u2028", "\U0001F600", "\ufb33", "\u0080", " "];

        public static object? Value(Random random, int depth) => random.Next(depth > 3 ? 4 : 6) switch
        {
            0 => null,
            1 => random.Next(2) == 0,
            2 => Number(random),
            3 => Text(random),
            4 => Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1)).ToList(),
            _ => Enumerable.Range(0, random.Next(5))
                .Select(_ => Text(random))
                .Distinct(StringComparer.Ordinal)
                .Select(name => KeyValuePair.Create(name, Value(random, depth + 1)))
                .ToList(),
        };

        public static string Render(object? value, Random random)
        {
            var builder = new StringBuilder();
            Write(builder, value, random);
            return builder.ToString();
        }

        private static double Number(Random random) => random.Next(3) switch
        {
            0 => random.Next(-1000, 1000),
            1 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30)),
            _ => FiniteFromBits(random),
        };

        private static double FiniteFromBits(Random random)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            return double.IsFinite(value) ? value : 0.5;
        }

        private static string Text(Random random) =>
            string.Concat(Enumerable.Range(0, random.Next(5)).Select(_ => s_stringParts[random.Next(s_stringParts.Length)]));

        private static void Write(StringBuilder builder, object? value, Random random)
        {
            builder.Append(s_whitespace[random.Next(s_whitespace.Length)]);
            switch (value)
            {
                case null:
                    builder.Append("null");
                    break;
                case bool b:
                    builder.Append(b ? "true" : "false");
                    break;
                case double d:
                    // Any text that parses to the same double: shortest, 17 significant digits, or exponent form.
                    builder.Append(d.ToString(random.Next(3) switch { 0 => "R", 1 => "G17", _ => "E20" }, CultureInfo.InvariantCulture));
                    break;
                case string s:
                    builder.Append(random.Next(2) == 0 ? JsonSerializer.Serialize(s) : JsonSerializer.Serialize(s, s_relaxed));
                    break;
                case List<object?> items:
                    builder.Append('[');
                    for (var i = 0; i < items.Count; i++)
                    {
                        builder.Append(i > 0 ? "," : string.Empty);
                        Write(builder, items[i], random);
                    }

                    builder.Append(s_whitespace[random.Next(s_whitespace.Length)]).Append(']');
                    break;
                case List<KeyValuePair<string, object?>> members:
                    builder.Append('{');
                    var shuffled = members.ToArray();
                    random.Shuffle(shuffled);
                    for (var i = 0; i < shuffled.Length; i++)
                    {
                        builder.Append(i > 0 ? "," : string.Empty);
                        builder.Append(s_whitespace[random.Next(s_whitespace.Length)]).Append(JsonSerializer.Serialize(shuffled[i].Key));
                        builder.Append(s_whitespace[random.Next(s_whitespace.Length)]).Append(':');
                        Write(builder, shuffled[i].Value, random);
                    }

                    builder.Append(s_whitespace[random.Next(s_whitespace.Length)]).Append('}');
                    break;
                default:
                    throw new InvalidOperationException("the generator made a value it cannot render");
            }

            builder.Append(s_whitespace[random.Next(s_whitespace.Length)]);
        }

        private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    }
}
