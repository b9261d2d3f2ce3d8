namespace Concordat.Agreements.Reading;

/// <summary>
/// The keys one kind of mapping accepts: those it requires and those it may have.
/// </summary>
/// <param name="What">The kind of mapping, as messages name it (<c>party</c>, <c>grant</c>).</param>
/// <param name="Required">Keys that MUST be present.</param>
/// <param name="Optional">Keys that MAY be present.</param>
internal sealed record KeySet(string What, IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    /// <summary>Gets every key, required first.</summary>
    public IEnumerable<string> All => Required.Concat(Optional);

    /// <summary>Tells whether <paramref name="key"/> is accepted.</summary>
    public bool Accepts(string key) => Required.Contains(key) || Optional.Contains(key);
}
