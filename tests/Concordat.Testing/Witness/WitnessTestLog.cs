using System.Text;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;
using Concordat.Witness;

namespace Concordat.Testing.Witness;

/// <summary>
/// A small in-memory log for witness tests: it grows, signs checkpoints and writes add-checkpoint bodies with real
/// consistency proofs. Two instances with the same key and different <c>fork</c> labels are two forks of one log.
/// </summary>
public sealed class WitnessTestLog
{
    private readonly NoteSignerKey _key;
    private readonly string _fork;
    private readonly MemoryMerkleHashSource _tree = new();

    /// <summary>Initializes an empty log signed by <paramref name="key"/> (its name is the origin).</summary>
    /// <param name="key">The log key.</param>
    /// <param name="fork">A label mixed into entries after the first <paramref name="sharedPrefix"/>: forks share that prefix.</param>
    /// <param name="sharedPrefix">How many first entries every fork shares.</param>
    public WitnessTestLog(NoteSignerKey key, string fork = "main", long sharedPrefix = long.MaxValue)
    {
        _key = key;
        _fork = fork;
        SharedPrefix = sharedPrefix;
    }

    /// <summary>Gets the number of first entries every fork shares.</summary>
    public long SharedPrefix { get; }

    /// <summary>Gets the tree size.</summary>
    public long Size => _tree.Size;

    /// <summary>Gets the root hash.</summary>
    public MerkleHash Root => _tree.ComputeRoot();

    /// <summary>Appends <paramref name="count"/> entries.</summary>
    /// <param name="count">How many.</param>
    /// <returns>This log.</returns>
    public WitnessTestLog Append(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var n = _tree.Size;
            var label = n < SharedPrefix ? "main" : _fork;
            _tree.Append(MerkleHash.OfLeaf(Encoding.UTF8.GetBytes($"{_key.Name}/{label}/{n}")));
        }

        return this;
    }

    /// <summary>Signs the checkpoint of the current tree with the log key and any <paramref name="others"/>.</summary>
    /// <param name="others">More signers (an unknown key, a wrong key).</param>
    /// <returns>The signed note bytes.</returns>
    public byte[] SignCheckpoint(params NoteSigner[] others) =>
        new Checkpoint(_key.Name, Size, Root).Sign([NoteSigner.ForEd25519(_key), .. others]).ToBytes();

    /// <summary>Makes the consistency proof from <paramref name="oldSize"/> to the current size.</summary>
    /// <param name="oldSize">The older size.</param>
    /// <returns>The proof.</returns>
    public IReadOnlyList<MerkleHash> ProveFrom(long oldSize) =>
        MerkleProofs.CreateConsistencyProofAsync(_tree, oldSize, Size).AsTask().GetAwaiter().GetResult();

    /// <summary>Writes the add-checkpoint body for the current checkpoint, with the proof from <paramref name="oldSize"/>.</summary>
    /// <param name="oldSize">The old size line's value.</param>
    /// <returns>The body.</returns>
    public byte[] Request(long oldSize) => new AddCheckpointRequest(oldSize, ProveFrom(oldSize), SignCheckpoint()).ToBytes();
}
