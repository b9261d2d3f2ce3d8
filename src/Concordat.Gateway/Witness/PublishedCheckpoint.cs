namespace Concordat.Gateway.Witness;

/// <summary>
/// The latest checkpoint the witnesses cosigned as the workspace's policy asks: what <c>/tlog/checkpoint</c> serves
/// when the workspace configures witnesses.
/// </summary>
internal sealed class PublishedCheckpoint(WitnessSettings settings)
{
    private Published? _latest;

    /// <summary>Gets a value indicating whether checkpoints wait for witness cosignatures before they are served.</summary>
    public bool IsWitnessed => settings.IsWitnessed;

    /// <summary>Gets the latest published checkpoint, or null before the first.</summary>
    public Published? Latest => Volatile.Read(ref _latest);

    /// <summary>Publishes <paramref name="note"/> unless a larger tree, or the same tree with as many cosignatures, is published.</summary>
    public void Publish(long treeSize, string note, int cosignatures)
    {
        var latest = Latest;

        // Invariant: the served checkpoint never goes back: a slower submission cannot replace a larger tree.
        if (latest is null || treeSize > latest.TreeSize || (treeSize == latest.TreeSize && cosignatures > latest.Cosignatures))
        {
            Volatile.Write(ref _latest, new Published(treeSize, note, cosignatures));
        }
    }

    /// <summary>A published checkpoint: its size, the signed note with the cosignatures, and how many.</summary>
    internal sealed record Published(long TreeSize, string Note, int Cosignatures);
}
