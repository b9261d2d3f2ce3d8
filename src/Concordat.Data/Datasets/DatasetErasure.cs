namespace Concordat.Data.Datasets;

/// <summary>One stored version a data subject was erased from: the manifest it had, the one that replaced it, and the rows removed.</summary>
/// <param name="Previous">The version's manifest before the erasure.</param>
/// <param name="Current">The version's manifest now: its <see cref="DatasetManifest.PreviousManifest"/> is <paramref name="Previous"/>'s digest.</param>
/// <param name="RowsRemoved">How many rows held the subject.</param>
public sealed record DatasetErasure(DatasetManifest Previous, DatasetManifest Current, long RowsRemoved);
