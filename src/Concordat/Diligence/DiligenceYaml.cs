using Concordat.Agreements.Syntax;
using Concordat.Core;

namespace Concordat.Diligence;

/// <summary>The reading rules questionnaires and answers share: unknown keys, missing keys and wrong types reported under one code.</summary>
internal sealed class DiligenceYaml(List<Diagnostic> problems, ErrorCode code)
{
    public void Report(SourceSpan span, string message) => problems.Add(code.Error(message, span));

    public YamlMapping? Mapping(YamlNode node, string what, IReadOnlyCollection<string>? keys)
    {
        if (node is not YamlMapping mapping)
        {
            Report(node.Span, $"{what} is {node.Describe()}, not a mapping");
            return null;
        }

        foreach (var entry in mapping.Entries.Where(e => keys is not null && !keys.Contains(e.Key.Value)))
        {
            // Invariant: an unknown key is an error, so a typo never silently drops a question or a minimum.
            Report(entry.Key.Span, $"unknown key `{entry.Key.Value}` in {what}; expected {string.Join(", ", keys!.Select(k => $"`{k}`"))}");
        }

        return mapping;
    }

    public string? Text(YamlMapping mapping, string key)
    {
        if (mapping.Find(key) is not { } entry)
        {
            Report(mapping.Span, $"`{key}` is missing");
            return null;
        }

        if (entry.Value is not YamlScalar scalar || scalar.Value.Length == 0)
        {
            Report(entry.Key.Span, $"`{key}` is not a non-empty text");
            return null;
        }

        return scalar.Value;
    }

    public int? Integer(YamlMapping mapping, string key, int minimum, int maximum)
    {
        if (mapping.Find(key) is not { } entry)
        {
            Report(mapping.Span, $"`{key}` is missing");
            return null;
        }

        if (entry.Value is not YamlScalar scalar || !scalar.TryGetInteger(out var value) || value < minimum || value > maximum)
        {
            Report(entry.Key.Span, $"`{key}` is not an integer from {minimum} to {maximum}");
            return null;
        }

        return (int)value;
    }

    public IReadOnlyList<YamlNode> Sequence(YamlMapping mapping, string key)
    {
        if (mapping.Find(key)?.Value is YamlSequence { Items.Count: > 0 } sequence)
        {
            return sequence.Items;
        }

        Report(mapping.Span, $"`{key}` is missing or empty");
        return [];
    }
}
