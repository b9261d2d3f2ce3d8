namespace Concordat.Agreements.Reading;

/// <summary>
/// The purpose vocabulary of one agreement as a tree of broader and narrower purposes.
/// </summary>
internal sealed class PurposeTree
{
    private readonly Dictionary<PurposeId, PurposeId?> _broader = [];

    public PurposeTree(IEnumerable<PurposeDefinition> purposes)
    {
        foreach (var purpose in purposes)
        {
            _broader.TryAdd(purpose.Id, purpose.Broader);
        }
    }

    public bool IsDefined(PurposeId id) => _broader.ContainsKey(id);

    /// <summary>Tells whether <paramref name="broader"/> is <paramref name="narrower"/> or one of its ancestors.</summary>
    public bool Covers(PurposeId broader, PurposeId narrower)
    {
        // Invariant: the walk is bounded by the vocabulary size, so a cycle (reported elsewhere) cannot loop forever.
        var current = (PurposeId?)narrower;
        for (var steps = 0; current is not null && steps <= _broader.Count; steps++)
        {
            if (current.Value == broader)
            {
                return true;
            }

            current = _broader.GetValueOrDefault(current.Value);
        }

        return false;
    }

    public bool Overlap(PurposeId a, PurposeId b) => Covers(a, b) || Covers(b, a);

    /// <summary>Finds a purpose that is its own ancestor, when there is one.</summary>
    public PurposeId? FindCycle()
    {
        foreach (var (id, broader) in _broader)
        {
            if (broader is not null && Covers(id, broader.Value))
            {
                return id;
            }
        }

        return null;
    }
}
