using Concordat.Core;

namespace Concordat.Agreements.Syntax;

/// <summary>
/// A mapping with string keys, in source order; duplicate keys were reported and dropped while reading.
/// </summary>
internal sealed record YamlMapping(IReadOnlyList<YamlMappingEntry> Entries, SourceSpan Span) : YamlNode(Span)
{
    /// <inheritdoc/>
    public override string Describe() => "a mapping";

    /// <summary>Finds the entry with <paramref name="key"/>, when present.</summary>
    public YamlMappingEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }

        return null;
    }
}
