using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Aggregates;
using Concordat.Data.Datasets;
using Concordat.Privacy;

namespace Concordat.Data.RecipientTables;

/// <summary>
/// The tables recipients upload to join their aggregate queries with: one per recipient, dataset and table id, under
/// <c>&lt;workspaceRoot&gt;/recipient-tables</c>, holding only the pseudonyms of the join key.
/// </summary>
/// <remarks>
/// <para>
/// An upload is read with the dataset import code (CSV or NDJSON, every value checked against the declared type), in
/// memory; the key column is pseudonymised with the recipient's own pseudonym key for the dataset, the key the
/// dataset's identifiers are pseudonymised with for that recipient, so equal values on both sides give equal
/// pseudonyms. Only the sorted distinct pseudonyms, each pseudonym's value of the columns the recipient declared as
/// dimensions, and a manifest are written; the raw keys and the other columns are never stored, and the memory that held
/// them is zeroed.
/// </para>
/// <para>
/// Security: this does not hide the recipient's raw keys from the provider's gateway, which sees them at upload;
/// hiding them too needs an oblivious pseudorandom function (RFC 9497), which this store does not implement.
/// </para>
/// <para>An upload replaces the table of the same id. Each is private to its recipient: the path names the recipient.</para>
/// </remarks>
// CAUTION: persisted format; see docs/formats/recipient-tables.md
public sealed class RecipientTableStore
{
    /// <summary>The manifest's format name.</summary>
    public const string Format = "concordat-recipient-table/v1";

    private const string KeysFileName = "keys.txt";
    private const string ManifestFileName = "table.json";
    private const string DimensionsFileName = "dimensions.json";

    private readonly string _root;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store over <c>&lt;workspaceRoot&gt;/recipient-tables</c>.</summary>
    /// <param name="workspaceRoot">The workspace.</param>
    /// <param name="timeProvider">The clock the manifests are dated by.</param>
    public RecipientTableStore(string workspaceRoot, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceRoot);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _root = Path.Combine(Path.GetFullPath(workspaceRoot), "recipient-tables");
        _timeProvider = timeProvider;
    }

    /// <summary>Imports <paramref name="content"/> as <paramref name="recipient"/>'s table <paramref name="table"/> for <paramref name="key"/>'s dataset.</summary>
    /// <param name="recipient">The recipient that uploads it.</param>
    /// <param name="table">The table id (a dataset id's form).</param>
    /// <param name="schema">The declared schema, naming the join key.</param>
    /// <param name="content">The rows.</param>
    /// <param name="format">CSV or NDJSON.</param>
    /// <param name="key">The recipient's pseudonym key for the dataset.</param>
    /// <param name="cancellationToken">Stops the import; nothing is then stored.</param>
    /// <returns>The manifest, or every problem (GW62xx); on failure the table is left as it was.</returns>
    public async Task<(RecipientTableManifest? Manifest, IReadOnlyList<Diagnostic> Problems)> ImportAsync(PartyId recipient, string table, RecipientTableSchema schema, Stream content, RowFormat format, PseudonymKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(key);
        if (!IsValidId(table) || !IsValidId(recipient.Value) || !IsValidId(key.Dataset.Value))
        {
            return (null, [DatasetErrorCodes.InvalidDatasetId.Error($"table id `{table}` is not of the form `^[a-z0-9][a-z0-9._-]{{0,63}}$`")]);
        }

        var pseudonyms = new SortedSet<string>(StringComparer.Ordinal);
        var dimensions = new Dictionary<FieldName, SortedDictionary<string, string?>>();
        var conflicting = new HashSet<FieldName>();
        var problems = new List<Diagnostic>();
        long rows;
        var staging = new MemoryStream();
        try
        {
            using (var import = new DatasetImport(schema.Fields, staging))
            {
                await import.ImportAsync(new DatasetSource(table, content, format), cancellationToken).ConfigureAwait(false);
                if (import.HasErrors)
                {
                    return (null, [.. import.Diagnostics]);
                }

                rows = import.RowCount;
            }

            staging.Position = 0;
            var keyIndex = schema.Fields.ToList().FindIndex(f => f.Name == schema.Key);
            var keptColumns = schema.Dimensions.Select(d => (Name: d, Index: schema.Fields.ToList().FindIndex(f => f.Name == d))).ToArray();
            using var pseudonymiser = new Pseudonymiser(key);
            using var reader = new DatasetRowReader(staging, schema.Fields);
            var pseudonym = new byte[Pseudonymiser.PseudonymLength];
            while (true)
            {
                while (reader.TryReadBuffered())
                {
                    Add(reader);
                }

                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                Add(reader);
            }

            void Add(DatasetRowReader row)
            {
                // A row without a key joins nothing.
                if (!row.IsNull(keyIndex))
                {
                    pseudonymiser.Pseudonymise(row.GetValue(keyIndex), pseudonym);
                    var text = Encoding.ASCII.GetString(pseudonym);
                    pseudonyms.Add(text);
                    foreach (var (name, index) in keptColumns)
                    {
                        Keep(name, text, row.IsNull(index) ? null : Encoding.UTF8.GetString(row.GetValue(index)));
                    }
                }
            }

            void Keep(FieldName column, string key, string? value)
            {
                var values = dimensions.TryGetValue(column, out var map) ? map : dimensions[column] = new SortedDictionary<string, string?>(StringComparer.Ordinal);
                if (!values.TryGetValue(key, out var held))
                {
                    values[key] = value;
                }
                else if (held != value && !conflicting.Contains(column))
                {
                    // Invariant: a row of the dataset joins one key, so a dimension must give each key one group.
                    conflicting.Add(column);
                    problems.Add(DatasetErrorCodes.DimensionNotOneValuePerKey.Error($"`dimensions`: column `{column}` has more than one value for one key"));
                }
            }
        }
        finally
        {
            // Security: the raw rows lived in this buffer only; zero it rather than leave keys to the collector.
            CryptographicOperations.ZeroMemory(staging.GetBuffer());
            await staging.DisposeAsync().ConfigureAwait(false);
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var keysText = string.Concat(pseudonyms.Select(p => p + "\n"));
        var keysBytes = Encoding.ASCII.GetBytes(keysText);
        var keyType = schema.Fields.First(f => f.Name == schema.Key).Type;
        var manifest = new RecipientTableManifest(table, recipient, key.Dataset, schema.Key, keyType, schema.Fields, rows, pseudonyms.Count, Sha256Digest.Compute(keysBytes), _timeProvider.GetUtcNow())
        {
            Dimensions = schema.Dimensions,
        };
        // Each kept column as `{column: {pseudonym: value}}`, a null value left out (such a key is in no group of it).
        var kept = new JsonObject();
        foreach (var column in schema.Dimensions)
        {
            var values = new JsonObject();
            foreach (var (pseudonymText, value) in dimensions.GetValueOrDefault(column) ?? [])
            {
                if (value is not null)
                {
                    values[pseudonymText] = value;
                }
            }

            kept[column.Value] = values;
        }

        await WriteAsync(manifest, keysBytes, Encoding.UTF8.GetBytes(kept.ToJsonString()), cancellationToken).ConfigureAwait(false);
        return (manifest, []);
    }

    /// <summary>Opens <paramref name="recipient"/>'s table <paramref name="table"/> for a join, with the recipient's pseudonym key for the dataset.</summary>
    /// <param name="recipient">The recipient: a table is never opened for another.</param>
    /// <param name="table">The table id.</param>
    /// <param name="key">The recipient's pseudonym key for the dataset queried.</param>
    /// <returns>The table, which the caller disposes; null when the recipient has no such table for the dataset.</returns>
    public JoinedTable? Open(PartyId recipient, string table, PseudonymKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsValidId(table) || !IsValidId(recipient.Value) || !IsValidId(key.Dataset.Value))
        {
            return null;
        }

        var directory = Directory(recipient, key.Dataset, table);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            return null;
        }

        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var keyType = AgreementEnumText.TryParse<FieldType>(manifest["keyType"]?.GetValue<string>(), out var type) ? type : FieldType.String;
        var pseudonyms = new HashSet<string>(File.ReadAllLines(Path.Combine(directory, KeysFileName)).Where(l => l.Length > 0), StringComparer.Ordinal);
        var columns = new Dictionary<FieldName, Dictionary<string, string>>();
        var dimensionsPath = Path.Combine(directory, DimensionsFileName);
        if (File.Exists(dimensionsPath) && JsonNode.Parse(File.ReadAllText(dimensionsPath)) is JsonObject kept)
        {
            foreach (var (column, values) in kept)
            {
                columns[new FieldName(column)] = values is JsonObject map
                    ? map.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
                    : [];
            }
        }

        return new JoinedTable(table, keyType, pseudonyms, key, columns);
    }

    private async Task WriteAsync(RecipientTableManifest manifest, byte[] keys, byte[] dimensions, CancellationToken cancellationToken)
    {
        var directory = Directory(manifest.Recipient, manifest.Dataset, manifest.Table);
        var parent = Path.GetDirectoryName(directory)!;
        System.IO.Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".upload-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(staging, KeysFileName), keys, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(staging, DimensionsFileName), dimensions, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(staging, ManifestFileName), manifest.ToJson().ToJsonString(), cancellationToken).ConfigureAwait(false);

            // Invariant: a reader sees the old table or the new one whole, never a mix (the manifest is read first, then its keys).
            var old = Path.Combine(parent, $".replaced-{Guid.NewGuid():N}");
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Move(directory, old);
            }

            System.IO.Directory.Move(staging, directory);
            if (System.IO.Directory.Exists(old))
            {
                System.IO.Directory.Delete(old, recursive: true);
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(staging))
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }
    }

    private string Directory(PartyId recipient, DatasetId dataset, string table) => Path.Combine(_root, recipient.Value, dataset.Value, table);

    private static bool IsValidId(string? id) => DatasetStore.IsValidId(new DatasetId(id ?? string.Empty));
}
