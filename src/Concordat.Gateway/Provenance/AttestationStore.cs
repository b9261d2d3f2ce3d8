using Concordat.Gateway.Hosting;

namespace Concordat.Gateway.Provenance;

/// <summary>
/// The envelopes the gateway signed, as files in the workspace's <c>attestations</c> folder: one per dataset version
/// (<c>dataset-versions/{dataset}/{version}.json</c>) and one per egress (<c>egress/{recipient}/{decisionId}.json</c>),
/// each exactly as signed, so anyone fetching one gets the bytes the log entry's digest names.
/// </summary>
/// <remarks>
/// Ids reach the paths only after the gateway checked their shape (<see cref="Security.Ids.IsValid"/>), so no id can
/// name a file outside the folder. Like the dataset versions beside them, the files live in the workspace folder that
/// replicas share.
/// </remarks>
internal sealed class AttestationStore(GatewayWorkspace workspace)
{
    /// <summary>The folder under the workspace.</summary>
    public const string FolderName = "attestations";

    private const string DatasetFolder = "dataset-versions";
    private const string EgressFolder = "egress";
    private const string DeletionFolder = "deletion";
    private const string ModelFolder = "models";
    private const string ErasureFolder = "erasure";

    private string Root => Path.Combine(workspace.Directory, FolderName);

    public string DatasetVersionPath(string dataset, int version) => Path.Combine(Root, DatasetFolder, dataset, $"{version}.json");

    public string EgressPath(string recipient, string decisionId) => Path.Combine(Root, EgressFolder, recipient, decisionId + ".json");

    /// <summary>Where a registered model's attestation is kept: <c>models/{name}/{version}.json</c>.</summary>
    public string ModelPath(string name, string version) => Path.Combine(Root, ModelFolder, name, version + ".json");

    /// <summary>Lists the registered models by name, then version (ordinal), as <c>(name, version)</c>.</summary>
    public IReadOnlyList<(string Name, string Version)> Models() =>
        [.. Folders(Path.Combine(Root, ModelFolder)).SelectMany(folder => Files(folder).Order(StringComparer.Ordinal).Select(version => (Path.GetFileName(folder), version)))];

    /// <summary>Where a signed erasure record is kept: <c>erasure/{dataset}/{commitmentHex}.json</c> (the commitment is fresh for every erasure).</summary>
    public string ErasurePath(string dataset, string commitmentHex) => Path.Combine(Root, ErasureFolder, dataset, commitmentHex + ".json");

    /// <summary>Lists the signed erasure records held, by dataset, then commitment hex (ordinal), as <c>(dataset, commitmentHex)</c>.</summary>
    public IReadOnlyList<(string Dataset, string CommitmentHex)> Erasures() =>
        [.. Folders(Path.Combine(Root, ErasureFolder)).SelectMany(folder => Files(folder).Order(StringComparer.Ordinal).Select(hex => (Path.GetFileName(folder), hex)))];

    /// <summary>Where a recipient's accepted deletion attestation is kept, named by the envelope's SHA-256.</summary>
    public string DeletionPath(string recipient, string envelopeHex) => Path.Combine(Root, DeletionFolder, recipient, envelopeHex + ".json");

    /// <summary>Lists the recipients' accepted deletion attestations, of one recipient or of all, as <c>(recipient, envelopeHex)</c> by recipient, then hex (ordinal).</summary>
    public IReadOnlyList<(string Recipient, string EnvelopeHex)> Deletions(string? recipient)
    {
        var folders = recipient is null ? Folders(Path.Combine(Root, DeletionFolder)) : [Path.Combine(Root, DeletionFolder, recipient)];
        return [.. folders.SelectMany(folder => Files(folder).Order(StringComparer.Ordinal).Select(hex => (Path.GetFileName(folder), hex)))];
    }

    public static byte[]? Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes an envelope whole: to a temporary file first, then moved into place, so readers never see half of one.</summary>
    public static void Write(string path, byte[] envelope)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, envelope);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Lists the attestations held: the dataset versions (for the operator only) and the egress of one recipient or of all.</summary>
    /// <param name="recipient">The recipient whose egress attestations to list; <see langword="null"/> for the operator, who sees every one.</param>
    /// <returns>The listings, dataset versions first (by dataset, then version), then models (for the operator only), then egress (by recipient, then decision id).</returns>
    public IReadOnlyList<AttestationListing> List(string? recipient)
    {
        var listings = new List<AttestationListing>();
        if (recipient is null)
        {
            foreach (var folder in Folders(Path.Combine(Root, DatasetFolder)))
            {
                var dataset = Path.GetFileName(folder);
                foreach (var version in Files(folder).Select(Version).OfType<int>().Order())
                {
                    listings.Add(new AttestationListing("dataset-version", $"{dataset}@{version}", null, $"/v1/attestations/dataset-versions/{dataset}/{version}"));
                }
            }

            foreach (var (name, version) in Models())
            {
                var id = ModelIds.Format(name, version);
                listings.Add(new AttestationListing("model", id, null, $"/v1/attestations/models/{id}"));
            }
        }

        var recipients = recipient is null ? Folders(Path.Combine(Root, EgressFolder)) : [Path.Combine(Root, EgressFolder, recipient)];
        foreach (var folder in recipients)
        {
            var party = Path.GetFileName(folder);
            foreach (var decisionId in Files(folder).Order(StringComparer.Ordinal))
            {
                listings.Add(new AttestationListing("egress", decisionId, party, $"/v1/attestations/egress/{decisionId}"));
            }
        }

        return listings;
    }

    private static int? Version(string name) => int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;

    private static string[] Folders(string path) =>
        Directory.Exists(path) ? [.. Directory.GetDirectories(path).Order(StringComparer.Ordinal)] : [];

    // Invariant: only finished envelopes are listed; a `.tmp` being written is not.
    private static IEnumerable<string> Files(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>() : [];
}
