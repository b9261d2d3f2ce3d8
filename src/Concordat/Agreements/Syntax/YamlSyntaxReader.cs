using Concordat.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Concordat.Agreements.Syntax;

/// <summary>
/// Reads YAML text into a tree of <see cref="YamlNode"/> with spans, using YamlDotNet's event parser so that every
/// node keeps its position. Rejects what makes one text mean two things: duplicate keys, anchors and aliases,
/// explicit tags, several documents in one stream.
/// </summary>
internal static class YamlSyntaxReader
{
    /// <summary>The deepest nesting read; deeper nodes are reported and skipped, so hostile input cannot exhaust the stack.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads <paramref name="text"/>; returns the root node, or null when there is none or the YAML is malformed.</summary>
    public static YamlNode? Read(string text, string file, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseEvents(text, file, diagnostics, out var events))
        {
            return null;
        }

        // Invariant: a complete event list is StreamStart, (DocumentStart, node, DocumentEnd)*, StreamEnd.
        var cursor = new Cursor(events);
        cursor.Next();
        cursor.Next();
        if (cursor.Current is StreamEnd end)
        {
            diagnostics.Add(AgreementDiagnosticCodes.EmptyDocument.Error("the document is empty", SpanOf(file, end.Start, end.End), "start the document with `concordat: 1`"));
            return null;
        }

        cursor.Next();
        var root = ReadNode(cursor, file, diagnostics, depth: 0);
        cursor.Next();
        if (cursor.Current is DocumentStart next)
        {
            diagnostics.Add(AgreementDiagnosticCodes.SeveralDocuments.Error("the file holds more than one YAML document", SpanOf(file, next.Start, next.End), "keep one agreement per file and remove the `---` separator"));
        }

        return root;
    }

    private static bool TryParseEvents(string text, string file, List<Diagnostic> diagnostics, out List<ParsingEvent> events)
    {
        events = [];
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                events.Add(parser.Current!);
            }

            return true;
        }
        catch (YamlException ex)
        {
            diagnostics.Add(AgreementDiagnosticCodes.YamlSyntax.Error($"invalid YAML: {Describe(ex)}", SpanOf(file, ex.Start, ex.End), "fix the YAML syntax at this place; nothing after it was read"));
            return false;
        }
#pragma warning disable CA1031 // Security: the third-party scanner sometimes fails on hostile input with other exceptions; each is a syntax error, never a crash.
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
#pragma warning restore CA1031
        {
            var at = events.Count > 0 ? events[^1].End : Mark.Empty;
            diagnostics.Add(AgreementDiagnosticCodes.YamlSyntax.Error("invalid YAML after this place", SpanOf(file, at, at), "fix the YAML syntax after this place; nothing after it was read"));
            return false;
        }
    }

    private static YamlNode? ReadNode(Cursor cursor, string file, List<Diagnostic> diagnostics, int depth)
    {
        var current = cursor.Current;
        if (depth > MaxDepth)
        {
            diagnostics.Add(AgreementDiagnosticCodes.TooDeep.Error($"the document nests deeper than {MaxDepth} levels", SpanOf(file, current.Start, current.End), "an agreement needs only a few levels of nesting"));
            cursor.SkipNode();
            return null;
        }

        if (current is AnchorAlias alias)
        {
            cursor.Next();
            diagnostics.Add(AgreementDiagnosticCodes.AnchorOrAlias.Error($"alias `*{alias.Value}` is not allowed", SpanOf(file, alias.Start, alias.End), "write the value out in full: anchors and aliases are not allowed in agreements"));
            return null;
        }

        if (current is NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
            {
                diagnostics.Add(AgreementDiagnosticCodes.AnchorOrAlias.Error($"anchor `&{node.Anchor.Value}` is not allowed", SpanOf(file, node.Start, node.End), "remove the anchor: anchors and aliases are not allowed in agreements"));
            }

            // Security: an explicit tag could make a scalar mean something other than what it looks like.
            if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
            {
                diagnostics.Add(AgreementDiagnosticCodes.CustomTag.Error($"tag `{node.Tag.Value}` is not allowed", SpanOf(file, node.Start, node.End), "remove the tag; quote the value if it must be read as a string"));
            }
        }

        switch (current)
        {
            case Scalar scalar:
                cursor.Next();
                return new YamlScalar(scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any, SpanOf(file, scalar.Start, scalar.End));
            case SequenceStart start:
                return ReadSequence(cursor, start, file, diagnostics, depth);
            case MappingStart start:
                return ReadMapping(cursor, start, file, diagnostics, depth);
            default:
                // Security: hostile input can leave the event stream shaped in ways the grammar above never
                // produces; report it and stop on a closing event so the enclosing loop ends, never throw.
                diagnostics.Add(AgreementDiagnosticCodes.YamlSyntax.Error("invalid YAML structure at this place", SpanOf(file, current.Start, current.End), "fix the YAML syntax at this place"));
                if (!IsClosing(current))
                {
                    cursor.Next();
                }

                return null;
        }
    }

    private static YamlSequence ReadSequence(Cursor cursor, SequenceStart start, string file, List<Diagnostic> diagnostics, int depth)
    {
        cursor.Next();
        var items = new List<YamlNode>();
        while (!IsClosing(cursor.Current))
        {
            if (ReadNode(cursor, file, diagnostics, depth + 1) is { } item)
            {
                items.Add(item);
            }
        }

        var end = cursor.Current.End;
        cursor.Next();
        return new YamlSequence(items, SpanOf(file, start.Start, end));
    }

    private static YamlMapping ReadMapping(Cursor cursor, MappingStart start, string file, List<Diagnostic> diagnostics, int depth)
    {
        cursor.Next();
        var entries = new List<YamlMappingEntry>();
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        while (!IsClosing(cursor.Current))
        {
            var keyEvent = cursor.Current;
            var keyNode = ReadNode(cursor, file, diagnostics, depth + 1);
            var value = ReadNode(cursor, file, diagnostics, depth + 1);
            if (keyNode is null)
            {
                continue;
            }

            if (keyNode is not YamlScalar key)
            {
                diagnostics.Add(AgreementDiagnosticCodes.ComplexKey.Error($"a key must be a string, found {keyNode.Describe()}", SpanOf(file, keyEvent.Start, keyEvent.End), "write keys as plain names such as `legalName`"));
                continue;
            }

            if (seen.TryGetValue(key.Value, out var first))
            {
                diagnostics.Add(AgreementDiagnosticCodes.DuplicateKey.Error($"duplicate key `{key.Value}`", key.Span, $"the key is first given at line {first.Span.Line}; keep one of them"));
                continue;
            }

            seen.Add(key.Value, key);
            entries.Add(new YamlMappingEntry(key, value));
        }

        var end = cursor.Current.End;
        cursor.Next();
        return new YamlMapping(entries, SpanOf(file, start.Start, end));
    }

    private static bool IsClosing(ParsingEvent current) => current is MappingEnd or SequenceEnd or DocumentEnd or StreamEnd;

    private static string Describe(YamlException ex)
    {
        // YamlDotNet prefixes its messages with "(Line: .., Col: .., Idx: ..) - (...): "; the span carries that.
        var message = ex.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[(cut + 3)..];
        }

        message = message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        return message.Length == 0 ? "malformed input" : char.ToLowerInvariant(message[0]) + message[1..];
    }

    private static SourceSpan SpanOf(string file, Mark start, Mark end) =>
        new(file, ToInt(start.Line), ToInt(start.Column), ToInt(end.Line), ToInt(end.Column));

    private static int ToInt(long value) => (int)Math.Clamp(value, 1, int.MaxValue);

    /// <summary>Walks a complete, well-nested list of parsing events.</summary>
    private sealed class Cursor(List<ParsingEvent> events)
    {
        private int _index = -1;

        // Invariant: reading past the end stays on the final StreamEnd, so malformed structure cannot index out of range.
        public ParsingEvent Current => events[Math.Min(_index, events.Count - 1)];

        public void Next() => _index++;

        /// <summary>Moves past the current node and everything nested in it.</summary>
        public void SkipNode()
        {
            var level = 0;
            do
            {
                level += Current.NestingIncrease;
                Next();
            }
            while (level > 0);
        }
    }
}
