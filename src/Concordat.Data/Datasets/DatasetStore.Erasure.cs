using System.Security.Cryptography;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Data.Datasets;

/// <summary>The erasure of a data subject from stored versions: the documented exception to "a version never changes" (docs/design/erasure.md).</summary>
public sealed partial class DatasetStore
{
    private const string ErasePrefix = ".erase-";
    private const string ErasedPrefix = ".erased-";

    // Invariant: a version's directory is moved aside and back only under this gate, and imports take their version
    // number under it, so an import never takes the number of a version that is being swapped.
    private readonly Lock _versionGate = new();

    /// <summary>Counts the rows of one stored version whose <paramref name="key"/> holds one of <paramref name="subjects"/>.</summary>
    /// <param name="manifest">The version.</param>
    /// <param name="key">The dataset's entity key.</param>
    /// <param name="subjects">The subject's identifiers, as stored.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The count; 0 when the version has no field <paramref name="key"/>.</returns>
    public async Task<long> CountSubjectRowsAsync(DatasetManifest manifest, FieldName key, IReadOnlySet<string> subjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (SubjectRows.For(manifest.Schema, key, subjects) is not { } match)
        {
            return 0;
        }

        await using var rows = OpenRows(manifest);
        var count = 0L;
        while (await rows.ReadAsync(cancellationToken))
        {
            count += match.Matches(rows) ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// Rewrites one stored version without the rows whose <paramref name="key"/> holds one of <paramref name="subjects"/>,
    /// under a new manifest that names the old one's digest (<see cref="DatasetManifest.PreviousManifest"/>) and
    /// <paramref name="erasedAt"/>; the version keeps its number.
    /// </summary>
    /// <param name="manifest">The version, as stored now.</param>
    /// <param name="key">The dataset's entity key.</param>
    /// <param name="subjects">The subject's identifiers, as stored.</param>
    /// <param name="erasedAt">The instant of the erasure.</param>
    /// <param name="cancellationToken">Stops the rewrite before the swap; the version is then unchanged.</param>
    /// <returns>The erasure, or <see langword="null"/> when no row held the subject (nothing was rewritten).</returns>
    /// <remarks>
    /// The new files are written into a staging directory and flushed to disk; the version's directory is then moved
    /// aside (<c>.erased-N</c>) and the staging directory renamed into its place, and the old files are deleted. A crash
    /// between the two renames leaves no directory under the version's number: <see cref="RemoveAbandonedImports"/>
    /// moves the old one back at start-up, so after a crash a version is either wholly old or wholly new.
    /// </remarks>
    public async Task<DatasetErasure?> EraseAsync(DatasetManifest manifest, FieldName key, IReadOnlySet<string> subjects, DateTimeOffset erasedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!IsValidId(manifest.DatasetId) || SubjectRows.For(manifest.Schema, key, subjects) is not { } match)
        {
            return null;
        }

        var datasetDirectory = DatasetDirectory(manifest.DatasetId);
        var staging = Path.Combine(datasetDirectory, ErasePrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            long kept = 0, removed = 0;
            Sha256Digest rowsDigest;
            await using (var output = new FileStream(Path.Combine(staging, RowsFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var rows = OpenRows(manifest))
                {
                    while (await rows.ReadAsync(cancellationToken))
                    {
                        if (match.Matches(rows))
                        {
                            removed++;
                            continue;
                        }

                        // Invariant: kept rows are copied byte for byte, so the stored form of every other row is unchanged.
                        var line = rows.CurrentLine.ToArray();
                        hash.AppendData(line);
                        hash.AppendData("\n"u8);
                        await output.WriteAsync(line, cancellationToken);
                        output.WriteByte((byte)'\n');
                        kept++;
                    }
                }

                rowsDigest = Sha256Digest.FromBytes(hash.GetHashAndReset());
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }

            if (removed == 0)
            {
                return null;
            }

            var current = manifest with { RowCount = kept, RowsSha256 = rowsDigest, PreviousManifest = manifest.ComputeDigest(), ErasedAt = erasedAt };
            await using (var file = new FileStream(Path.Combine(staging, ManifestFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await file.WriteAsync(current.ToCanonicalJson(), cancellationToken);
                file.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Swap(datasetDirectory, manifest.Version, staging);
            return new DatasetErasure(manifest, current, removed);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private void Swap(string datasetDirectory, DatasetVersion version, string staging)
    {
        var target = Path.Combine(datasetDirectory, version.ToString());
        var aside = Path.Combine(datasetDirectory, ErasedPrefix + version);
        lock (_versionGate)
        {
            // Invariant: nothing can stop this thread between the renames; the version is missing only while it runs them.
            Directory.Move(target, aside);
            Directory.Move(staging, target);
        }

        // Security: the old rows held the subject; they go at once (the file system may still hold their blocks).
        Directory.Delete(aside, recursive: true);
    }

    // At start-up: an erasure interrupted between its renames left the old version aside; put it back (the erasure did
    // not happen), and drop what a completed swap left behind.
    private static void RecoverErasures(string datasetDirectory)
    {
        foreach (var staging in Directory.EnumerateDirectories(datasetDirectory, ErasePrefix + "*"))
        {
            Directory.Delete(staging, recursive: true);
        }

        foreach (var aside in Directory.EnumerateDirectories(datasetDirectory, ErasedPrefix + "*"))
        {
            var target = Path.Combine(datasetDirectory, Path.GetFileName(aside)[ErasedPrefix.Length..]);
            if (Directory.Exists(target))
            {
                Directory.Delete(aside, recursive: true);
            }
            else
            {
                Directory.Move(aside, target);
            }
        }
    }
}
