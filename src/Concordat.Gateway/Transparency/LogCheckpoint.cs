namespace Concordat.Gateway.Transparency;

/// <summary>A signed checkpoint: its tree size, root hash and the signed note text.</summary>
internal sealed record LogCheckpoint(long TreeSize, byte[] RootHash, string SignedNote);
