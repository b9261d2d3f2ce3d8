namespace Concordat.Log;

/// <summary>
/// A signed checkpoint kept in the log's checkpoint history.
/// </summary>
/// <param name="TreeSize">The tree size the checkpoint commits to.</param>
/// <param name="Note">The signed note, as signed (UTF-8 text).</param>
public sealed record StoredCheckpoint(long TreeSize, string Note);
