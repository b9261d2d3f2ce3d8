namespace Concordat.Evidence;

/// <summary>What a built pack holds.</summary>
/// <param name="Agreement">The agreement's id.</param>
/// <param name="TreeSize">The tree size of the checkpoint the entries are proven against.</param>
/// <param name="Entries">The log entries the pack carries.</param>
/// <param name="Begin">The first log index of the proven range.</param>
/// <param name="End">The end of the proven range, exclusive.</param>
/// <param name="Files">The pack's file names, in the order written (the manifest last).</param>
public sealed record EvidencePackSummary(string Agreement, long TreeSize, long Entries, long Begin, long End, IReadOnlyList<string> Files);
