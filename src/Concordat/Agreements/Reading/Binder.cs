using System.Text.RegularExpressions;
using Concordat.Agreements.Syntax;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Licences;

namespace Concordat.Agreements.Reading;

/// <summary>
/// Reads typed values out of syntax nodes, reporting every wrong type, unknown key and invalid value as a diagnostic
/// and returning null for what could not be read, so that reading goes on and finds every problem at once.
/// </summary>
internal sealed partial class Binder(string file)
{
    public string File { get; } = file;

    public List<Diagnostic> Diagnostics { get; } = [];

    public SourceMap Map { get; } = new();

    /// <summary>The clause each warning about one is about, by the warning itself (not by its value).</summary>
    public Dictionary<Diagnostic, ClauseId> Clauses { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Gets the scalar each condition was read from, so that checks can point inside its text.</summary>
    public Dictionary<Condition, YamlScalar> Conditions { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The place of characters <paramref name="start"/> to <paramref name="end"/> of a scalar's text: exact for a
    /// scalar on one line (past the opening quote of a quoted one), the whole scalar otherwise.
    /// </summary>
    public static SourceSpan SpanIn(YamlScalar scalar, int start, int end)
    {
        var span = scalar.Span;
        if (span.Line != span.EndLine)
        {
            return span;
        }

        var column = span.Column + (scalar.IsPlain ? 0 : 1);
        return span with { Column = column + start, EndLine = span.Line, EndColumn = column + Math.Max(end, start + 1) };
    }

    public void Report(ErrorCode code, string message, SourceSpan? span, string? help = null, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        Diagnostics.Add(code.ToDiagnostic(severity, message, span, help));

    /// <summary>Checks that <paramref name="node"/> is a mapping with only the keys of <paramref name="keys"/>, and all required ones.</summary>
    public YamlMapping? Mapping(YamlNode? node, KeySet keys, string key)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMapping mapping)
        {
            WrongType(node, key, "a mapping");
            return null;
        }

        foreach (var entry in mapping.Entries)
        {
            if (!keys.Accepts(entry.Key.Value))
            {
                Report(AgreementDiagnosticCodes.UnknownKey, $"unknown key `{entry.Key.Value}` in {keys.What}", entry.Key.Span, Suggestions.Help(entry.Key.Value, [.. keys.All], "keys allowed here"));
            }
        }

        var missing = keys.Required.Where(k => Value(mapping, k) is null).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(k => $"`{k}`"));
            var at = new SourceSpan(mapping.Span.File, mapping.Span.Line, mapping.Span.Column, mapping.Span.Line, mapping.Span.Column);
            Report(AgreementDiagnosticCodes.MissingKey, $"{keys.What} is missing required key{(missing.Count == 1 ? string.Empty : "s")} {list}", at, $"add {string.Join(", ", missing.Select(k => $"`{k}:`"))} to the {keys.What}");
        }

        return mapping;
    }

    /// <summary>Gets the value of <paramref name="key"/>, or null when absent, null or unreadable.</summary>
    /// <remarks>
    /// Spec: YAML 1.2.2 §10.3.2: a plain <c>null</c>, <c>~</c> or empty value is the null of the core schema; an explicit
    /// null is read as the key left out (docs/formats/agreement.md), so it never reaches the typed agreement or its
    /// digest, and a required key that is null is missing.
    /// </remarks>
    public static YamlNode? Value(YamlMapping? mapping, string key) =>
        mapping?.Find(key)?.Value is { } value && value is not YamlScalar { Type: YamlScalarType.Null } ? value : null;

    public void WrongType(YamlNode node, string key, string expected) =>
        Report(AgreementDiagnosticCodes.WrongType, $"`{key}` must be {expected}, found {node.Describe()}", node.Span, node is YamlScalar { IsPlain: true, Type: not YamlScalarType.String } && expected == "a string" ? "quote the value to make it a string" : null);

    public void Invalid(YamlNode node, string key, string problem, string? help = null) =>
        Report(AgreementDiagnosticCodes.InvalidValue, $"`{key}`: {problem}", node.Span, help);

    public string? String(YamlNode? node, string key)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalar { Type: YamlScalarType.String } scalar)
        {
            if (scalar.Value.Length == 0)
            {
                Invalid(node, key, "must not be empty");
                return null;
            }

            return scalar.Value;
        }

        WrongType(node, key, "a string");
        return null;
    }

    public string? Id(YamlNode? node, string key) => Matching(node, key, IdPattern(), "an id is 1 to 128 letters, digits, `.`, `_` or `-`, starting with a letter or digit");

    public string? FieldNameText(YamlNode? node, string key) => Matching(node, key, FieldPattern(), "a field name is letters, digits, `_`, `.` or `-`, starting with a letter or `_`");

    public long? Integer(YamlNode? node, string key, long min, long max = long.MaxValue)
    {
        if (node is null)
        {
            return null;
        }

        if (IsOctalOrHex(node, key))
        {
            return null;
        }

        if (node is not YamlScalar scalar || !scalar.TryGetInteger(out var value))
        {
            WrongType(node, key, "an integer");
            return null;
        }

        if (value < min || value > max)
        {
            Invalid(node, key, max >= int.MaxValue ? $"must be at least {min}, found {value}" : $"must be between {min} and {max}, found {value}");
            return null;
        }

        return value;
    }

    private bool IsOctalOrHex(YamlNode node, string key)
    {
        if (node is YamlScalar { IsOctalOrHexInteger: true } scalar)
        {
            Invalid(node, key, $"`{scalar.Value}` is an octal or hexadecimal integer", "write the number in decimal");
            return true;
        }

        return false;
    }

    public int? Int(YamlNode? node, string key, int min, int max = int.MaxValue) => (int?)Integer(node, key, min, max);

    public double? Number(YamlNode? node, string key, double min, double max, bool minExclusive, bool maxExclusive)
    {
        if (node is null)
        {
            return null;
        }

        if (IsOctalOrHex(node, key))
        {
            return null;
        }

        if (node is not YamlScalar scalar || !scalar.TryGetNumber(out var value))
        {
            WrongType(node, key, "a finite number");
            return null;
        }

        var belowMin = minExclusive ? value <= min : value < min;
        var aboveMax = maxExclusive ? value >= max : value > max;
        if (belowMin || aboveMax)
        {
            var low = minExclusive ? "(" : "[";
            var high = maxExclusive ? ")" : "]";
            Invalid(node, key, $"must be in {low}{min}, {max}{high}, found {scalar.Value}");
            return null;
        }

        return value;
    }

    public bool? Boolean(YamlNode? node, string key)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalar scalar && scalar.TryGetBoolean(out var value))
        {
            return value;
        }

        WrongType(node, key, "`true` or `false`");
        return null;
    }

    public TEnum? Enum<TEnum>(YamlNode? node, string key, string what)
        where TEnum : struct, Enum
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (AgreementEnumText.TryParse<TEnum>(text, out var value))
        {
            return value;
        }

        Invalid(node!, key, $"`{text}` is not {what}", Suggestions.Help(text, AgreementEnumText.Names<TEnum>().ToArray(), "use one of"));
        return null;
    }

    public DateTimeOffset? Instant(YamlNode? node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (Rfc3339.TryParseUtc(text, out var instant, out var error))
        {
            return instant;
        }

        Invalid(node!, key, $"`{text}` is not a valid instant", error);
        return null;
    }

    public TimeSpan? Duration(YamlNode? node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (!IsoDuration.TryParse(text, out var duration, out var error))
        {
            Invalid(node!, key, $"`{text}` is not a valid duration", error);
            return null;
        }

        if (duration <= TimeSpan.Zero)
        {
            Invalid(node!, key, "must be longer than zero");
            return null;
        }

        return duration;
    }

    public Sha256Digest? Digest(YamlNode? node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (Sha256Digest.TryParse(text, out var digest))
        {
            return digest;
        }

        Invalid(node!, key, $"`{text}` is not a digest", "write `sha256:` followed by 64 lowercase hex digits");
        return null;
    }

    public Jurisdiction? Jurisdiction(YamlNode? node, string key)
    {
        var text = Matching(node, key, JurisdictionPattern(), "write an ISO 3166-1 alpha-2 code (`DE`), an ISO 3166-2 subdivision (`US-CA`), `EU` or `EEA`");
        return text is null ? null : new Jurisdiction(text);
    }

    public string? Licence(YamlNode? node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        // Invariant: one SPDX reader for every expression Concordat takes (Annex D against the vendored list), so an
        // agreement cannot tag data with a licence that model registration would later refuse to read.
        var parsed = LicenceExpressionParser.Parse(text, File);
        foreach (var problem in parsed.Diagnostics)
        {
            var span = node is YamlScalar scalar && problem.Span is { } at ? SpanIn(scalar, at.Column - 1, at.EndColumn - 1) : node!.Span;
            Diagnostics.Add(problem with { Message = $"`{key}`: {problem.Message}", Span = span });
        }

        return parsed.IsValid ? text : null;
    }

    public string? VerifierKey(YamlNode? node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (NoteKey.TryParseVerifierKey(text, out _, out var error))
        {
            return text;
        }

        Report(AgreementDiagnosticCodes.InvalidKey, $"`{key}`: not a verifier key: {error}", node!.Span, "paste the `.pub` file written by `concordat key new`: `name+hash+base64`");
        return null;
    }

    /// <summary>Reads a sequence of objects; records item spans for the owner's key when an owner is given.</summary>
    public IReadOnlyList<T> List<T>(YamlNode? node, string key, Func<YamlNode, T?> item, object? owner = null)
        where T : class
    {
        var result = new List<T>();
        var spans = new List<SourceSpan>();
        foreach (var itemNode in Items(node, key))
        {
            if (item(itemNode) is { } value)
            {
                result.Add(value);
                spans.Add(itemNode.Span);
            }
        }

        Record(owner, key, spans);
        return result;
    }

    /// <summary>Reads a sequence of values; warns about values given twice (the list is a set).</summary>
    public IReadOnlyList<T> Set<T>(YamlNode? node, string key, Func<YamlNode, T?> item, List<SourceSpan> spans)
        where T : struct
    {
        var result = new List<T>();
        foreach (var itemNode in Items(node, key))
        {
            if (item(itemNode) is { } value)
            {
                if (result.Contains(value))
                {
                    Report(AgreementDiagnosticCodes.DuplicateEntry, $"`{key}` lists `{((itemNode as YamlScalar)?.Value ?? value.ToString())}` twice", itemNode.Span, severity: DiagnosticSeverity.Warning);
                    continue;
                }

                result.Add(value);
                spans.Add(itemNode.Span);
            }
        }

        return result;
    }

    /// <summary>Reads a sequence of strings; warns about strings given twice (the list is a set).</summary>
    public IReadOnlyList<string> StringSet(YamlNode? node, string key, Func<YamlNode, string?> item)
    {
        var result = new List<string>();
        foreach (var itemNode in Items(node, key))
        {
            if (item(itemNode) is { } value)
            {
                if (result.Contains(value))
                {
                    Report(AgreementDiagnosticCodes.DuplicateEntry, $"`{key}` lists `{value}` twice", itemNode.Span, severity: DiagnosticSeverity.Warning);
                    continue;
                }

                result.Add(value);
            }
        }

        return result;
    }

    public void Record(object? owner, string key, IReadOnlyList<SourceSpan> spans)
    {
        if (owner is not null)
        {
            Map.AddItems(owner, key, spans);
        }
    }

    private IReadOnlyList<YamlNode> Items(YamlNode? node, string key)
    {
        if (node is null)
        {
            return [];
        }

        if (node is YamlSequence sequence)
        {
            return sequence.Items;
        }

        WrongType(node, key, "a sequence");
        return [];
    }

    private string? Matching(YamlNode? node, string key, Regex pattern, string help)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (pattern.IsMatch(text))
        {
            return text;
        }

        Invalid(node!, key, $"`{Shorten(text)}` is not well formed", help);
        return null;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text.ReplaceLineEndings(" ") : text[..61].ReplaceLineEndings(" ") + "...";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();

    [GeneratedRegex("^([A-Z]{2}(-[A-Z0-9]{1,3})?|EEA)\\z", RegexOptions.CultureInvariant)]
    internal static partial Regex JurisdictionPattern();
}
