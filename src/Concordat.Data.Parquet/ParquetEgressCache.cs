using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;

namespace Concordat.Data.Parquet;

/// <summary>
/// The Parquet files written for recipients, one per egress plan digest, kept in a directory.
/// </summary>
/// <remarks>
/// <para>
/// Security: a file is found only by the digest of the whole plan it was written under (dataset version, purpose,
/// field and row rules, pseudonym key id), never by less: the purpose decides which rows pass consent and the key
/// decides the pseudonyms, so a file written for one recipient or purpose is never served for another.
/// </para>
/// <para>
/// A file is written to a temporary name and renamed into place after its description (size, SHA-256, rows), so a
/// file that is present is whole. Two concurrent writes of one plan write the same bytes; the last rename wins.
/// </para>
/// </remarks>
public sealed class ParquetEgressCache
{
    private readonly string _directory;

    /// <summary>Initializes a new instance of the <see cref="ParquetEgressCache"/> class.</summary>
    /// <param name="directory">The directory the files live in; created when missing.</param>
    public ParquetEgressCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = directory;
    }

    /// <summary>Returns the file written under the plan, writing it first when the cache lacks it.</summary>
    /// <param name="plan">The plan compiled for the recipient and purpose.</param>
    /// <param name="manifest">The dataset version read.</param>
    /// <param name="store">The dataset store the rows come from.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>The file.</returns>
    /// <exception cref="OperationCanceledException">The write was cancelled; nothing was kept.</exception>
    public async Task<ParquetEgressFile> GetOrWriteAsync(EgressPlan plan, DatasetManifest manifest, DatasetStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(store);
        return await GetOrWriteAsync(
            plan.ComputeDigest(manifest),
            async (file, token) =>
            {
                await using var rows = store.OpenRows(manifest);
                return await ParquetEgress.WriteAsync(plan, rows, file, token);
            },
            cancellationToken);
    }

    /// <summary>
    /// Returns the file of the changes from <paramref name="previous"/> to <paramref name="current"/> as the plan lets
    /// them leave, writing it first when the cache lacks it: the rows inserted, then the rows deleted, each with its
    /// <c>_change_type</c>.
    /// </summary>
    /// <param name="plan">The plan compiled for the recipient and purpose.</param>
    /// <param name="previous">The older dataset version.</param>
    /// <param name="current">The newer dataset version.</param>
    /// <param name="store">The dataset store the rows come from.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>The file, whose id is the digest of both plan digests (so it too is never found under less than the whole plan).</returns>
    /// <exception cref="OperationCanceledException">The write was cancelled; nothing was kept.</exception>
    public async Task<ParquetEgressFile> GetOrWriteChangesAsync(EgressPlan plan, DatasetManifest previous, DatasetManifest current, DatasetStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(store);
        var digest = Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"concordat/delta-sharing/changes/v1\n{plan.ComputeDigest(previous)}\n{plan.ComputeDigest(current)}"));
        return await GetOrWriteAsync(digest, (file, token) => ChangesWriter.WriteAsync(plan, store, previous, current, file, token), cancellationToken);
    }

    /// <summary>Finds the file written under a plan digest.</summary>
    /// <param name="planDigest">The plan digest (the file id).</param>
    /// <param name="file">The file, when the cache holds it.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGet(Sha256Digest planDigest, [NotNullWhen(true)] out ParquetEgressFile? file)
    {
        file = null;
        if (!File.Exists(FilePath(planDigest)) || !File.Exists(DescriptionPath(planDigest)))
        {
            return false;
        }

        using var description = JsonDocument.Parse(File.ReadAllBytes(DescriptionPath(planDigest)));
        var root = description.RootElement;
        file = new ParquetEgressFile(
            planDigest,
            FilePath(planDigest),
            root.GetProperty("size").GetInt64(),
            Sha256Digest.Parse(root.GetProperty("sha256").GetString()!),
            root.GetProperty("rows").GetInt64());
        return true;
    }

    /// <summary>
    /// Deletes every file in the cache: after an erasure, no file written from a version's old rows may be served again.
    /// Files are found by plan digest only, which does not say the dataset, so all go; each is written again on demand.
    /// </summary>
    public void Clear()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            File.Delete(file);
        }
    }

    private async Task<ParquetEgressFile> GetOrWriteAsync(Sha256Digest digest, Func<Stream, CancellationToken, Task<EgressReceipt>> write, CancellationToken cancellationToken)
    {
        if (TryGet(digest, out var cached))
        {
            return cached;
        }

        Directory.CreateDirectory(_directory);
        var temporary = System.IO.Path.Combine(_directory, $"{digest.Hex}.{Guid.NewGuid():N}.tmp");
        try
        {
            EgressReceipt receipt;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                receipt = await write(file, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var description = new JsonObject { ["size"] = receipt.BytesSent, ["sha256"] = receipt.Sha256.ToString(), ["rows"] = receipt.RowsSent };
            await File.WriteAllTextAsync(DescriptionPath(digest), description.ToJsonString(), cancellationToken);
            File.Move(temporary, FilePath(digest), overwrite: true);
            return new ParquetEgressFile(digest, FilePath(digest), receipt.BytesSent, receipt.Sha256, receipt.RowsSent);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string FilePath(Sha256Digest digest) => System.IO.Path.Combine(_directory, digest.Hex + ".parquet");

    private string DescriptionPath(Sha256Digest digest) => System.IO.Path.Combine(_directory, digest.Hex + ".json");
}
