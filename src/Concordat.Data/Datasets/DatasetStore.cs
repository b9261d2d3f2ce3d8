using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Data.Datasets;

/// <summary>
/// Imported dataset versions under a workspace: <c>datasets/&lt;datasetId&gt;/&lt;version&gt;/{rows.ndjson,manifest.json}</c>.
/// </summary>
/// <remarks>
/// <para>
/// A version is immutable once it exists: an import writes into a hidden <c>.import-*</c> directory next to the
/// versions and renames it into place only when every row passed; on any error, cancellation or exception the
/// directory is removed. Concurrent imports of one dataset get distinct versions.
/// </para>
/// <para>
/// Dataset ids MUST match <c>^[a-z0-9][a-z0-9._-]{0,63}$</c> and never equal <c>.</c> or <c>..</c>; an id that does not is
/// never used in a path: imports fail with GW6201 and look-ups find nothing.
/// </para>
/// </remarks>
public sealed partial class DatasetStore
{
    /// <summary>The name of the rows file of a version.</summary>
    internal const string RowsFileName = "rows.ndjson";

    /// <summary>The name of the manifest of a version.</summary>
    internal const string ManifestFileName = "manifest.json";

    private const string ImportPrefix = ".import-";

    private readonly string _root;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store over <c>&lt;workspaceRoot&gt;/datasets</c>.</summary>
    public DatasetStore(string workspaceRoot, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceRoot);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _root = Path.Combine(Path.GetFullPath(workspaceRoot), "datasets");
        _timeProvider = timeProvider;
    }

    /// <summary>Returns whether <paramref name="id"/> is a well-formed dataset id.</summary>
    public static bool IsValidId(DatasetId id) => id.Value is { } value && DatasetIdPattern().IsMatch(value);

    /// <summary>Imports one source as a new version of <paramref name="definition"/>'s dataset.</summary>
    public Task<DatasetImportResult> ImportAsync(DatasetDefinition definition, Stream content, RowFormat format, string sourceName, CancellationToken cancellationToken) =>
        ImportAsync(definition, [new DatasetSource(sourceName, content, format)], cancellationToken);

    /// <summary>Imports sources, in order, as one new version of <paramref name="definition"/>'s dataset.</summary>
    /// <returns>The manifest of the new version, or every problem found; on failure nothing is stored.</returns>
    /// <remarks>Cancellation throws <see cref="OperationCanceledException"/> and, like any exception, leaves nothing behind.</remarks>
    internal async Task<DatasetImportResult> ImportAsync(DatasetDefinition definition, IReadOnlyList<DatasetSource> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sources);
        var problem = CheckDefinition(definition, sources);
        if (problem is not null)
        {
            return new DatasetImportResult(null, [problem]);
        }

        var schema = definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Type)).ToArray();

        // Invariant: a source name is recorded as well-formed Unicode (an unpaired surrogate becomes U+FFFD), so the manifest is I-JSON.
        sources = [.. sources.Select(s => s with { Name = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s.Name ?? "")) })];
        var datasetDirectory = DatasetDirectory(definition.Id);
        Directory.CreateDirectory(datasetDirectory);
        var staging = Path.Combine(datasetDirectory, ImportPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var records = new List<DatasetSourceRecord>(sources.Count);
            await using var rows = new FileStream(Path.Combine(staging, RowsFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            using var import = new DatasetImport(schema, rows);
            foreach (var source in sources)
            {
                records.Add(await import.ImportAsync(source, cancellationToken));
            }

            if (import.HasErrors)
            {
                return new DatasetImportResult(null, [.. import.Diagnostics]);
            }

            await rows.FlushAsync(cancellationToken);
            rows.Flush(flushToDisk: true);
            await rows.DisposeAsync();
            var rowCount = import.RowCount;
            var rowsDigest = import.GetRowsDigest();
            var manifest = await CommitAsync(definition.Id, staging, version => new DatasetManifest(
                definition.Id, version, _timeProvider.GetUtcNow(), rowCount, rowsDigest, schema, records), cancellationToken);
            return new DatasetImportResult(manifest, []);
        }
        finally
        {
            // Security: a failed or cancelled import leaves no rows behind; after a commit the staging directory no longer exists.
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Returns the manifest of the newest version, or <see langword="null"/> when there is none or the id is malformed.</summary>
    public DatasetManifest? GetLatest(DatasetId id)
    {
        var versions = ListVersions(id);
        return versions.Count == 0 ? null : GetVersion(id, versions[^1]);
    }

    /// <summary>Returns the manifest of one version, or <see langword="null"/> when it does not exist or the id is malformed.</summary>
    public DatasetManifest? GetVersion(DatasetId id, DatasetVersion version)
    {
        if (!IsValidId(id) || version.Number < 1)
        {
            return null;
        }

        var path = Path.Combine(DatasetDirectory(id), version.ToString(), ManifestFileName);
        return File.Exists(path) ? DatasetManifest.Parse(File.ReadAllBytes(path)) : null;
    }

    /// <summary>Returns the datasets with at least one stored version, ordered by id.</summary>
    public IReadOnlyList<DatasetId> ListDatasets()
    {
        if (!Directory.Exists(_root))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(_root)
            .Select(path => new DatasetId(Path.GetFileName(path)))
            .Where(id => IsValidId(id) && ListVersions(id).Count > 0)
            .OrderBy(id => id.Value, StringComparer.Ordinal)];
    }

    /// <summary>Returns the versions of a dataset, oldest first; empty when there are none or the id is malformed.</summary>
    public IReadOnlyList<DatasetVersion> ListVersions(DatasetId id)
    {
        var directory = IsValidId(id) ? DatasetDirectory(id) : null;
        if (directory is null || !Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(directory)
            .Select(Path.GetFileName)
            .Select(name => DatasetVersion.TryParse(name, out var version) ? version : default)
            .Where(v => v.Number > 0 && File.Exists(Path.Combine(directory, v.ToString(), ManifestFileName)))
            .OrderBy(v => v.Number)];
    }

    /// <summary>Opens the rows of a stored version for reading, in constant memory.</summary>
    /// <exception cref="FileNotFoundException">The version does not exist.</exception>
    public DatasetRowReader OpenRows(DatasetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!IsValidId(manifest.DatasetId))
        {
            throw new ArgumentException("the manifest names a malformed dataset id", nameof(manifest));
        }

        var path = Path.Combine(DatasetDirectory(manifest.DatasetId), manifest.Version.ToString(), RowsFileName);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return new DatasetRowReader(stream, manifest.Schema);
    }

    /// <summary>Opens the stored <c>rows.ndjson</c> of a version as bytes, exactly as kept (for an export that keeps them verbatim).</summary>
    /// <exception cref="FileNotFoundException">The version does not exist.</exception>
    public Stream OpenStoredRows(DatasetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!IsValidId(manifest.DatasetId))
        {
            throw new ArgumentException("the manifest names a malformed dataset id", nameof(manifest));
        }

        return new FileStream(Path.Combine(DatasetDirectory(manifest.DatasetId), manifest.Version.ToString(), RowsFileName), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>
    /// Restores a version exactly as another workspace stored it (a re-import of an export): the stored rows and the
    /// manifest, kept byte for byte, as the next version of its dataset.
    /// </summary>
    /// <param name="manifestJson">The exported <c>manifest.json</c>, canonical JSON.</param>
    /// <param name="rows">The exported <c>rows.ndjson</c>.</param>
    /// <param name="cancellationToken">Stops the copy; nothing is kept.</param>
    /// <returns><see langword="null"/> when restored; otherwise why not (the manifest does not read or is not canonical, the rows do not hash to its <c>rowsSha256</c>, or the version is not the dataset's next).</returns>
    public async Task<string?> RestoreAsync(ReadOnlyMemory<byte> manifestJson, Stream rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        DatasetManifest manifest;
        try
        {
            manifest = DatasetManifest.Parse(manifestJson.Span);
        }
        catch (InvalidDataException ex)
        {
            return ex.Message;
        }

        // Invariant: the manifest is kept byte for byte, so its digest (which the log names) is unchanged.
        if (!manifest.ToCanonicalJson().AsSpan().SequenceEqual(manifestJson.Span))
        {
            return $"the manifest of `{manifest.DatasetId}` version {manifest.Version.Number} is not in canonical form";
        }

        if (!IsValidId(manifest.DatasetId))
        {
            return $"`{manifest.DatasetId}` is not a dataset id";
        }

        var datasetDirectory = DatasetDirectory(manifest.DatasetId);
        Directory.CreateDirectory(datasetDirectory);
        var staging = Path.Combine(datasetDirectory, ImportPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            await using (var file = new FileStream(Path.Combine(staging, RowsFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await rows.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                if (Sha256Digest.FromBytes(hash.GetHashAndReset()) != manifest.RowsSha256)
                {
                    return $"the rows of `{manifest.DatasetId}` version {manifest.Version.Number} do not hash to its manifest's rowsSha256";
                }

                file.Flush(flushToDisk: true);
            }

            await File.WriteAllBytesAsync(Path.Combine(staging, ManifestFileName), manifest.ToCanonicalJson(), cancellationToken);

            // Invariant: versions are restored in order, so each keeps its number; a rename is atomic, so it appears whole.
            var versions = ListVersions(manifest.DatasetId);
            if ((versions.Count == 0 ? 1 : versions[^1].Number + 1) != manifest.Version.Number)
            {
                return $"`{manifest.DatasetId}` version {manifest.Version.Number} is not the dataset's next version here";
            }

            Directory.Move(staging, Path.Combine(datasetDirectory, manifest.Version.ToString()));
            return null;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// Removes staging directories an interrupted process left behind, and puts back a version an interrupted erasure
    /// moved aside; call at start-up, before any import or erasure runs.
    /// </summary>
    public void RemoveAbandonedImports()
    {
        if (!Directory.Exists(_root))
        {
            return;
        }

        foreach (var dataset in Directory.EnumerateDirectories(_root))
        {
            foreach (var staging in Directory.EnumerateDirectories(dataset, ImportPrefix + "*"))
            {
                Directory.Delete(staging, recursive: true);
            }

            RecoverErasures(dataset);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DatasetIdPattern();

    private static Diagnostic? CheckDefinition(DatasetDefinition definition, IReadOnlyList<DatasetSource> sources)
    {
        if (!IsValidId(definition.Id))
        {
            return DatasetErrorCodes.InvalidDatasetId.Error($"`{definition.Id}` is not a dataset id", null, "use 1 to 64 characters from a-z, 0-9, `.`, `_` and `-`, starting with a letter or digit");
        }

        if (sources.Count == 0)
        {
            return DatasetErrorCodes.NoSources.Error($"the import of `{definition.Id}` has no source files");
        }

        var duplicate = definition.Fields.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? null
            : DatasetErrorCodes.DuplicateSchemaField.Error($"the schema of `{definition.Id}` names the field `{duplicate.Key}` twice");
    }

    // Invariant: only called with an id that passed IsValidId, so the path stays under _root.
    private string DatasetDirectory(DatasetId id) => Path.Combine(_root, id.Value);

    private async Task<DatasetManifest> CommitAsync(DatasetId id, string staging, Func<DatasetVersion, DatasetManifest> createManifest, CancellationToken cancellationToken)
    {
        var datasetDirectory = DatasetDirectory(id);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var versions = ListVersions(id);
            var version = new DatasetVersion(versions.Count == 0 ? 1 : versions[^1].Number + 1);
            var target = Path.Combine(datasetDirectory, version.ToString());
            var manifest = createManifest(version);
            var manifestPath = Path.Combine(staging, ManifestFileName);
            await using (var file = new FileStream(manifestPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await file.WriteAsync(manifest.ToCanonicalJson(), cancellationToken);
                file.Flush(flushToDisk: true);
            }

            try
            {
                // Invariant: a directory rename within one file system is atomic; the version appears whole or not at all.
                lock (_versionGate)
                {
                    Directory.Move(staging, target);
                }

                return manifest;
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another import took this version number first; take the next one.
            }
        }
    }
}
