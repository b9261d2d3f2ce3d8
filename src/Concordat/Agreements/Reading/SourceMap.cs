using Concordat.Agreements.Syntax;
using Concordat.Core;

namespace Concordat.Agreements.Reading;

/// <summary>
/// Where each part of a typed agreement came from, so that validation after typing can still point at the source.
/// Typed objects are keyed by reference: two equal clauses written in two places keep two places.
/// </summary>
internal sealed class SourceMap
{
    private readonly Dictionary<object, YamlMapping> _nodes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(object Owner, string Key), IReadOnlyList<SourceSpan>> _items = new(new OwnerKeyComparer());

    /// <summary>Records the mapping a typed object was read from.</summary>
    public void Add(object typed, YamlMapping node) => _nodes[typed] = node;

    /// <summary>Records the spans of the items of a list-valued key, in the order of the typed list.</summary>
    public void AddItems(object owner, string key, IReadOnlyList<SourceSpan> spans) => _items[(owner, key)] = spans;

    /// <summary>Finds the span of a typed object, or of the value of one of its keys when given.</summary>
    public SourceSpan? SpanOf(object typed, string? key = null)
    {
        if (!_nodes.TryGetValue(typed, out var node))
        {
            return null;
        }

        if (key is null)
        {
            return node.Span;
        }

        var entry = node.Find(key);
        return entry?.Value?.Span ?? entry?.Key.Span ?? node.Span;
    }

    /// <summary>
    /// Finds where <paramref name="text"/> is written in the value of one of a typed object's keys: the item of a
    /// sequence, or the key of a mapping's entry, with that text; falling back to the key's value.
    /// </summary>
    public SourceSpan? SpanOfText(object typed, string key, string text)
    {
        var value = _nodes.TryGetValue(typed, out var node) ? node.Find(key)?.Value : null;
        var found = value switch
        {
            YamlSequence sequence => sequence.Items.OfType<YamlScalar>().FirstOrDefault(i => i.Value == text),
            YamlMapping mapping => mapping.Find(text)?.Key,
            _ => null,
        };
        return found?.Span ?? SpanOf(typed, key);
    }

    /// <summary>Finds the span of item <paramref name="index"/> of a list-valued key, falling back to the key.</summary>
    public SourceSpan? ItemSpan(object owner, string key, int index) =>
        _items.TryGetValue((owner, key), out var spans) && index < spans.Count ? spans[index] : SpanOf(owner, key);

    private sealed class OwnerKeyComparer : IEqualityComparer<(object Owner, string Key)>
    {
        public bool Equals((object Owner, string Key) x, (object Owner, string Key) y) => ReferenceEquals(x.Owner, y.Owner) && x.Key == y.Key;

        public int GetHashCode((object Owner, string Key) obj) => HashCode.Combine(ReferenceEqualityComparer.Instance.GetHashCode(obj.Owner), obj.Key);
    }
}
