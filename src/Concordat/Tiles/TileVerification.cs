using Concordat.Log;

namespace Concordat.Tiles;

/// <summary>
/// The outcome of checking a tiled log against a signed checkpoint.
/// </summary>
/// <param name="TreeSize">The checked tree size.</param>
/// <param name="TilesRead">How many hash tiles and entry bundles were read.</param>
/// <param name="EntriesChecked">How many entries were read and found to hash to their leaf hashes.</param>
/// <param name="Problem">The first problem found (a <c>LOG42xx</c> code), or <see langword="null"/> when every check held.</param>
public sealed record TileVerification(long TreeSize, long TilesRead, long EntriesChecked, LogProblem? Problem)
{
    /// <summary>Gets a value indicating whether every check held.</summary>
    public bool IsValid => Problem is null;
}
