using System.Runtime.CompilerServices;
using System.Text;
using Concordat.Agreements;
using Concordat.Privacy;

namespace Concordat.Data.Aggregates;

/// <summary>
/// A recipient's uploaded table as a join reads it: the pseudonyms of its keys, each key's value of the columns kept as
/// dimensions, and the recipient's pseudonymiser that turns the dataset's values into the same pseudonyms, so that the
/// join never needs a raw key of either side.
/// </summary>
/// <remarks>Not thread-safe: one query uses it at a time. Disposing it releases the pseudonymiser's key state.</remarks>
public sealed class JoinedTable : IDisposable
{
    private readonly HashSet<string> _pseudonyms;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Pseudonymiser _pseudonymiser;

    private readonly Dictionary<FieldName, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>> _columns;

    internal JoinedTable(string id, FieldType keyType, HashSet<string> pseudonyms, PseudonymKey key, Dictionary<FieldName, Dictionary<string, string>>? columns = null)
    {
        Id = id;
        KeyType = keyType;
        _pseudonyms = pseudonyms;
        _lookup = pseudonyms.GetAlternateLookup<ReadOnlySpan<char>>();
        _pseudonymiser = new Pseudonymiser(key);
        _columns = (columns ?? []).ToDictionary(c => c.Key, c => c.Value.GetAlternateLookup<ReadOnlySpan<char>>());
    }

    /// <summary>Gets the columns the recipient kept, at upload, for queries to group by.</summary>
    public IReadOnlyCollection<FieldName> Dimensions => _columns.Keys;

    /// <summary>Gets the table's id.</summary>
    public string Id { get; }

    /// <summary>Gets the type of the table's key column, which the dataset's join field MUST share.</summary>
    public FieldType KeyType { get; }

    /// <summary>Gets how many distinct keys the table holds.</summary>
    public int KeyCount => _pseudonyms.Count;

    /// <summary>Whether the pseudonym of a stored value is one of the table's keys.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool Contains(ReadOnlySpan<byte> stored)
    {
        Span<char> chars = stackalloc char[Pseudonymiser.PseudonymLength];
        return _lookup.Contains(Pseudonym(stored, chars));
    }

    /// <summary>The table's value of <paramref name="column"/> for the key whose pseudonym is a stored value's; null when the key is absent or has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal string? ValueOf(FieldName column, ReadOnlySpan<byte> stored)
    {
        Span<char> chars = stackalloc char[Pseudonymiser.PseudonymLength];
        return _columns.TryGetValue(column, out var values) && values.TryGetValue(Pseudonym(stored, chars), out var value) ? value : null;
    }

    private ReadOnlySpan<char> Pseudonym(ReadOnlySpan<byte> stored, Span<char> chars)
    {
        Span<byte> pseudonym = stackalloc byte[Pseudonymiser.PseudonymLength];
        _pseudonymiser.Pseudonymise(stored, pseudonym);
        var count = Encoding.ASCII.GetChars(pseudonym, chars);
        return chars[..count];
    }

    /// <summary>Releases the pseudonymiser.</summary>
    public void Dispose() => _pseudonymiser.Dispose();
}
