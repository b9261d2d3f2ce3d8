using System.Security.Cryptography;
using System.Text.Json;
using Concordat.Log;

namespace Concordat.Incidents.Playbook;

/// <summary>
/// The forensic snapshot of an incident: the log exported up to its latest signed checkpoint (the export of
/// docs/formats/log-export.md, checked offline by <c>concordat log verify --bundle</c>) and, beside it, a manifest that
/// names the export's digest and the indexes of every entry relevant to the incident (those
/// <see cref="Postmortem.TimelineFrom"/> keeps). Both files are written once and left read-only.
/// </summary>
/// <remarks>
/// The export proves every entry it carries by rebuilding the tree up to the signed root, which proves the inclusion
/// of each relevant entry and more: that nothing was left out around it.
/// </remarks>
public static class ForensicSnapshot
{
    /// <summary>The manifest's format name.</summary>
    public const string FormatName = "concordat-forensic-snapshot/v1";

    private const int Page = 1024;

    /// <summary>Takes the snapshot of <paramref name="incident"/> into <paramref name="directory"/>.</summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="incident">The incident.</param>
    /// <param name="directory">Where to write <c>ID.export.ndjson</c> and <c>ID.snapshot.json</c>.</param>
    /// <param name="cancellationToken">Cancels taking it.</param>
    /// <returns>The manifest, or why no snapshot was written.</returns>
    public static async Task<(ForensicSnapshotManifest? Manifest, string? Error)> TakeAsync(ILogStorage storage, Incident incident, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(incident);
        Directory.CreateDirectory(directory);
        var exportName = incident.Id + ".export.ndjson";
        var exportPath = Path.Combine(directory, exportName);
        var manifestPath = Path.Combine(directory, incident.Id + ".snapshot.json");
        if (File.Exists(exportPath) || File.Exists(manifestPath))
        {
            return (null, $"a snapshot of incident `{incident.Id}` was already taken: a snapshot is written once");
        }

        LogExportResult exported;
        await using (var output = new FileStream(exportPath, FileMode.CreateNew, FileAccess.Write))
        {
            exported = await LogExport.WriteAsync(storage, output, null, cancellationToken).ConfigureAwait(false);
        }

        if (!exported.IsValid)
        {
            File.Delete(exportPath);
            return (null, exported.Problem!.Message);
        }

        var relevant = new List<long>();
        for (var start = 0L; start < exported.TreeSize; start += Page)
        {
            var page = await storage.ReadEntriesAsync(start, (int)Math.Min(Page, exported.TreeSize - start), cancellationToken).ConfigureAwait(false);
            var entries = page.Select(e => (e.Index, Entry: LogEntry.TryParse(e.Entry, out var entry, out _) ? entry : null))
                .Where(e => e.Entry is not null)
                .Select(e => (e.Index, e.Entry!));
            relevant.AddRange(Postmortem.TimelineFrom(incident, entries).Select(t => t.Index));
        }

        byte[] digest;
        await using (var input = File.OpenRead(exportPath))
        {
            digest = await SHA256.HashDataAsync(input, cancellationToken).ConfigureAwait(false);
        }

        var manifest = new ForensicSnapshotManifest(FormatName, incident.Id, exportName, "sha256:" + Convert.ToHexStringLower(digest), exported.Origin!, exported.TreeSize, exported.RootHash!.Value.ToBase64(), relevant);
        await File.WriteAllBytesAsync(manifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest, ForensicSnapshotManifest.SerializerOptions), cancellationToken).ConfigureAwait(false);
        ReadOnly(exportPath);
        ReadOnly(manifestPath);
        return (manifest, null);
    }

    // Invariant: immutable once taken; a responder who must change a snapshot takes another.
    private static void ReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
