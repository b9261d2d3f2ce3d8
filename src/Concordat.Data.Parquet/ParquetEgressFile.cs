using Concordat.Core;

namespace Concordat.Data.Parquet;

/// <summary>A Parquet file written under one egress plan and kept in the cache.</summary>
/// <param name="PlanDigest">The digest of the plan it was written under (<see cref="Egress.EgressPlan.ComputeDigest"/>): its cache key and file id.</param>
/// <param name="Path">Where the file is.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">The SHA-256 of its bytes.</param>
/// <param name="Rows">The rows it holds.</param>
public sealed record ParquetEgressFile(Sha256Digest PlanDigest, string Path, long Size, Sha256Digest Sha256, long Rows);
