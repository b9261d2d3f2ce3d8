namespace Concordat.Decisions;

/// <summary>
/// An immutable set of small non-negative integers (interned ids), tested without allocation.
/// </summary>
internal readonly struct BitSet
{
    private readonly ulong[] _words;

    private BitSet(ulong[] words) => _words = words;

    public static BitSet Empty { get; } = new([]);

    public static BitSet Of(IEnumerable<int> members)
    {
        var list = members.Where(m => m >= 0).ToList();
        var words = new ulong[list.Count == 0 ? 0 : (list.Max() >> 6) + 1];
        foreach (var member in list)
        {
            words[member >> 6] |= 1UL << (member & 63);
        }

        return new BitSet(words);
    }

    /// <summary>Tests membership; a negative id (an id nobody interned) is never a member.</summary>
    public bool Contains(int member)
    {
        var word = member >> 6;
        var words = _words;
        return (uint)word < (uint)words.Length && (words[word] & (1UL << (member & 63))) != 0;
    }
}
