using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;

namespace Concordat.Data.Parquet;

/// <summary>
/// The Parquet files written for recipients, one per egress plan digest, kept in a directory with one folder per
/// dataset (<c>{dataset}/{planDigestHex}.parquet</c>), so the copies of one dataset can be dropped alone.
/// </summary>
/// <remarks>
/// <para>
/// Security: a file is found only by the digest of the whole plan it was written under (dataset version, purpose,
/// field and row rules, pseudonym key id), never by less: the purpose decides which rows pass consent and the key
/// decides the pseudonyms, so a file written for one recipient or purpose is never served for another.
/// </para>
/// <para>
/// A file and its description (size, SHA-256, rows) are written to temporary names and renamed into place together,
/// so a file that is present is whole. Two concurrent writes of one plan write the same bytes; the last rename wins.
/// </para>
/// <para>
/// Security: <see cref="Clear"/> (after an erasure) may run while a file of the dataset is being written from rows it
/// removed. The write is then not published: it is written again from the rows stored now, so no file written before
/// the clear is found after it, and the concurrent write does not fail.
/// </para>
/// </remarks>
public sealed class ParquetEgressCache
{
    /// <summary>How many times a write is made again when the dataset's files were cleared while it was written.</summary>
    public const int MaxWriteAttempts = 3;

    private readonly string _directory;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _clears = new(StringComparer.Ordinal);

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
        ArgumentNullException.ThrowIfNull(manifest);
        return await GetOrWriteAsync(
            manifest.DatasetId,
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
        ArgumentNullException.ThrowIfNull(current);
        var digest = Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"concordat/delta-sharing/changes/v1\n{plan.ComputeDigest(previous)}\n{plan.ComputeDigest(current)}"));
        return await GetOrWriteAsync(current.DatasetId, digest, (file, token) => ChangesWriter.WriteAsync(plan, store, previous, current, file, token), cancellationToken);
    }

    /// <summary>Finds the file written under a plan digest.</summary>
    /// <param name="dataset">The dataset the file was written from.</param>
    /// <param name="planDigest">The plan digest (the file id).</param>
    /// <param name="file">The file, when the cache holds it.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGet(DatasetId dataset, Sha256Digest planDigest, [NotNullWhen(true)] out ParquetEgressFile? file)
    {
        file = null;
        var (path, descriptionPath) = (FilePath(dataset, planDigest), DescriptionPath(dataset, planDigest));
        if (!DatasetStore.IsValidId(dataset) || !File.Exists(path))
        {
            return false;
        }

        try
        {
            using var description = JsonDocument.Parse(File.ReadAllBytes(descriptionPath));
            var root = description.RootElement;
            file = new ParquetEgressFile(planDigest, path, root.GetProperty("size").GetInt64(), Sha256Digest.Parse(root.GetProperty("sha256").GetString()!), root.GetProperty("rows").GetInt64());
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Cleared between the two reads: not held.
            return false;
        }
    }

    /// <summary>
    /// Deletes every file written from <paramref name="dataset"/>: after an erasure, no file written from a version's
    /// old rows may be served again. Each is written again on demand; files of other datasets are kept.
    /// </summary>
    /// <param name="dataset">The dataset erased.</param>
    public void Clear(DatasetId dataset)
    {
        if (!DatasetStore.IsValidId(dataset))
        {
            throw new ArgumentException("the dataset id is malformed", nameof(dataset));
        }

        var folder = System.IO.Path.Combine(_directory, dataset.Value);
        lock (_lock)
        {
            _clears[dataset.Value] = Clears(dataset) + 1;
            if (!Directory.Exists(folder))
            {
                return;
            }

            // Invariant: a write in progress keeps its temporary files; it sees the clear and does not publish them.
            foreach (var file in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".parquet", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }
    }

    internal async Task<ParquetEgressFile> GetOrWriteAsync(DatasetId dataset, Sha256Digest digest, Func<Stream, CancellationToken, Task<EgressReceipt>> write, CancellationToken cancellationToken)
    {
        if (!DatasetStore.IsValidId(dataset))
        {
            throw new ArgumentException("the manifest names a malformed dataset id", nameof(dataset));
        }

        for (var attempt = 1; ; attempt++)
        {
            if (TryGet(dataset, digest, out var cached))
            {
                return cached;
            }

            long clears;
            lock (_lock)
            {
                clears = Clears(dataset);
            }

            var folder = System.IO.Path.Combine(_directory, dataset.Value);
            Directory.CreateDirectory(folder);
            var temporary = System.IO.Path.Combine(folder, $"{digest.Hex}.{Guid.NewGuid():N}.tmp");
            var temporaryDescription = temporary + ".description";
            try
            {
                EgressReceipt receipt;
                await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                {
                    receipt = await write(file, cancellationToken);
                }

                cancellationToken.ThrowIfCancellationRequested();
                var description = new JsonObject { ["size"] = receipt.BytesSent, ["sha256"] = receipt.Sha256.ToString(), ["rows"] = receipt.RowsSent };
                await File.WriteAllTextAsync(temporaryDescription, description.ToJsonString(), cancellationToken);
                lock (_lock)
                {
                    // Security: a clear since the write began may have removed rows it read: it is not published.
                    if (Clears(dataset) == clears)
                    {
                        File.Move(temporaryDescription, DescriptionPath(dataset, digest), overwrite: true);
                        File.Move(temporary, FilePath(dataset, digest), overwrite: true);
                        return new ParquetEgressFile(digest, FilePath(dataset, digest), receipt.BytesSent, receipt.Sha256, receipt.RowsSent);
                    }
                }

                if (attempt == MaxWriteAttempts)
                {
                    throw new IOException($"the files of dataset `{dataset}` were cleared during each of {MaxWriteAttempts} writes: try again");
                }
            }
            finally
            {
                File.Delete(temporary);
                File.Delete(temporaryDescription);
            }
        }
    }

    private long Clears(DatasetId dataset) => _clears.GetValueOrDefault(dataset.Value);

    private string FilePath(DatasetId dataset, Sha256Digest digest) => System.IO.Path.Combine(_directory, dataset.Value, digest.Hex + ".parquet");

    private string DescriptionPath(DatasetId dataset, Sha256Digest digest) => System.IO.Path.Combine(_directory, dataset.Value, digest.Hex + ".json");
}
