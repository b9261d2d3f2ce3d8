namespace Concordat.Log;

/// <summary>One run of <see cref="LogHashRuns"/>: <see cref="Count"/> nodes from <see cref="Offset"/> in the batch, the first at <see cref="FirstStoredIndex"/>.</summary>
/// <param name="Offset">The index of the run's first node in the batch's nodes.</param>
/// <param name="Count">How many nodes the run holds.</param>
/// <param name="FirstStoredIndex">The stored index of the run's first node; the others follow it one by one.</param>
public readonly record struct LogHashRun(int Offset, int Count, long FirstStoredIndex);
