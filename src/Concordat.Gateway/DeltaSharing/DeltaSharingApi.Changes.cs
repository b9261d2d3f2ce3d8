using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.Parquet;
using Concordat.Gateway.Problems;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// The change data feed (<c>GET .../tables/{table}/changes</c>) and a query's table changes since a version
/// (<c>POST .../tables/{table}/query</c> with <c>startingVersion</c>), built from the dataset's versions.
/// </summary>
internal static partial class DeltaSharingApi
{
    // Spec: PROTOCOL.md "Timestamp Format": `yyyy-[m]m-[d]d hh:mm:ss[.f...]` in the server's time zone, here UTC; and RFC 3339.
    private static readonly string[] s_timestampFormats =
        ["yyyy-M-d H:mm:ss", "yyyy-M-d H:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>
    /// Spec: delta-io/delta-sharing PROTOCOL.md "Read Change Data Feed from a Table": a start (version or timestamp),
    /// an optional end (else the latest version), both inclusive; answered as a <c>protocol</c> line, a <c>metaData</c>
    /// line, then the data change files of each version with its <c>version</c> and <c>timestamp</c>.
    /// </summary>
    /// <remarks>
    /// Version N's changes are the rows the recipient would receive from version N and not from the version before it
    /// (<c>insert</c>) and the reverse (<c>delete</c>), in one <c>cdf</c> file carrying <c>_change_type</c>; the first
    /// version, with nothing before it, is an <c>add</c> of its whole file (every row an insert). A version whose changes
    /// leave nothing visible to the recipient has no line. A version imported under another schema than the one before
    /// it replaces the table: the <c>remove</c> of the previous version's file and the <c>add</c> of its own. With
    /// <c>includeHistoricalMetadata=true</c> the <c>metaData</c> line is the table's as of the starting version and
    /// carries that <c>version</c>, and each version whose schema (as the recipient sees it) differs from the one before
    /// has a <c>metaData</c> line of its own. Security: one decision, logged before any URL, exactly as a table query;
    /// the files carry the obligations in force already applied, to every version read (and the one before the first),
    /// whatever schema it was imported under (<see cref="EgressPlan.TryCompileForStoredSchema"/>).
    /// </remarks>
    internal static async Task<IResult> TableChangesAsync(string share, string schema, string table, [AsParameters] DeltaSharingServices services)
    {
        var found = await FindAsync(services, share, schema, table).ConfigureAwait(false);
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }

        var (context, token) = (services.Context, found.Token!);
        if (await RefuseDeltaFormatAsync(services, token).ConfigureAwait(false) is { } deltaFormat)
        {
            return deltaFormat;
        }

        var query = context.Request.Query;
        var (bad, range) = ReadRange(query);
        var includeHistoricalMetadata = false;
        if (bad is null && query.ContainsKey("includeHistoricalMetadata") && !bool.TryParse(query["includeHistoricalMetadata"], out includeHistoricalMetadata))
        {
            bad = "`includeHistoricalMetadata` is `true` or `false`";
        }

        return bad is not null
            ? await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", bad).ConfigureAwait(false)
            : await ServeVersionsAsync(services, found, range!, History.ChangeDataFeed, includeHistoricalMetadata).ConfigureAwait(false);
    }

    /// <summary>
    /// Spec: PROTOCOL.md "Read Data from a Table" with <c>startingVersion</c> (and optionally <c>endingVersion</c>): the
    /// data change files of each version in the range, with historical metadata, as a streaming client reads them.
    /// </summary>
    /// <remarks>
    /// Every dataset version replaces the whole table, so version N is the <c>remove</c> of version N-1's file and the
    /// <c>add</c> of its own; the table's first version is an <c>add</c> alone. No <c>cdf</c> line: the Spark connector
    /// refuses one in this answer. Decided, logged and checked exactly as the change data feed.
    /// </remarks>
    private static Task<IResult> QueryVersionsAsync(DeltaSharingServices services, Found found, VersionRange range) =>
        ServeVersionsAsync(services, found, range, History.TableChanges, includeHistoricalMetadata: true);

    private static async Task<IResult> ServeVersionsAsync(DeltaSharingServices services, Found found, VersionRange range, History history, bool includeHistoricalMetadata)
    {
        var (context, token) = (services.Context, found.Token!);
        var versions = services.Datasets.ListVersions(found.Dataset).Select(v => services.Datasets.GetVersion(found.Dataset, v)!).ToList();
        var (bad, first, last) = Resolve(range, versions);
        if (bad is not null)
        {
            return await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", bad).ConfigureAwait(false);
        }

        var decided = await DecideAsync(services, found, versions[^1], versions[last]).ConfigureAwait(false);
        if (decided.Refusal is not null)
        {
            return decided.Refusal;
        }

        // Invariant: every version read (and the one before the first) is served under the agreement in force: the
        // decided plan for the schema it declares, or its rules carried out on the fields an older version holds.
        var (decision, definition) = (decided.Decision!, decided.Decision!.Agreement!.Agreement.Datasets.First(d => d.Id == found.Dataset));
        var older = new List<(IReadOnlyList<DatasetSchemaField> Schema, EgressPlan Plan)>();
        using var plan = decided.Plan!;
        try
        {
            foreach (var manifest in versions.Skip(Math.Max(0, first - 1)).Take(last - Math.Max(0, first - 1) + 1))
            {
                if (manifest.MatchesSchemaOf(definition) || older.Any(o => o.Schema.SequenceEqual(manifest.Schema)))
                {
                    continue;
                }

                if (!EgressPlan.TryCompileForStoredSchema(decision.Agreement!.Agreement, found.Dataset, manifest.Schema, token.Recipient, token.Purpose, decision.Decision.Obligations, services.Workspace.PseudonymKey, out var olderPlan, out var diagnostics))
                {
                    return await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", $"version `{manifest.Version.Number}` was imported under another schema, on which the agreement in force cannot be carried out ({string.Join("; ", diagnostics.Select(d => $"{d.Message} ({d.Code})"))}): ask for changes from a later version", decision.Id).ConfigureAwait(false);
                }

                older.Add((manifest.Schema, olderPlan));
            }

            EgressPlan PlanOf(DatasetManifest manifest) => manifest.MatchesSchemaOf(definition) ? plan : older.First(o => o.Schema.SequenceEqual(manifest.Schema)).Plan;

            // Spec: PROTOCOL.md "Metadata": `version` is returned for a query with a version parameter, or a change data
            // feed query with includeHistoricalMetadata; the metadata is then the table's as of the starting version.
            var lines = new List<JsonObject> { ProtocolLine(), includeHistoricalMetadata ? MetadataAt(versions[first]) : MetadataLine(found, plan, isChangeDataFeed: true) };
            var files = services.Files.Cache;
            for (var i = first; i <= last; i++)
            {
                var (current, previous) = (versions[i], i == 0 ? null : versions[i - 1]);
                var (now, before) = (PlanOf(current), previous is null ? null : PlanOf(previous));
                if (includeHistoricalMetadata && before is not null && ParquetEgress.DeltaSchemaString(now) != ParquetEgress.DeltaSchemaString(before))
                {
                    // Spec: historical metadata, "for the streaming client to check if the table schema is still read compatible".
                    lines.Add(MetadataAt(current));
                }

                if (history == History.ChangeDataFeed && before == now)
                {
                    var changes = await files.GetOrWriteChangesAsync(now, previous!, current, services.Datasets, context.RequestAborted).ConfigureAwait(false);
                    AddChange("cdf", changes, current, current);
                    continue;
                }

                if (previous is not null)
                {
                    // Invariant: the file removed is the one this recipient was served for the previous version, under
                    // the same plan, so its id is the one the recipient holds.
                    AddChange("remove", await files.GetOrWriteAsync(before!, previous, services.Datasets, context.RequestAborted).ConfigureAwait(false), previous, current);
                }

                AddChange("add", await files.GetOrWriteAsync(now, current, services.Datasets, context.RequestAborted).ConfigureAwait(false), current, current);
            }

            context.Response.Headers["Delta-Table-Version"] = versions[first].Version.Number.ToString(CultureInfo.InvariantCulture);
            return Ndjson(lines);

            JsonObject MetadataAt(DatasetManifest manifest)
            {
                var line = MetadataLine(found, PlanOf(manifest), isChangeDataFeed: true);
                line["metaData"]!["version"] = manifest.Version.Number;
                return line;
            }

            // One data change file of version `at`, written from version `from`; a file with no row has no line.
            void AddChange(string kind, ParquetEgressFile file, DatasetManifest from, DatasetManifest at)
            {
                if (file.Rows == 0)
                {
                    return;
                }

                var action = FileAction(services, found, decision, file, from.Version.Number);
                if (kind != "add")
                {
                    // Spec: PROTOCOL.md "CDF File" and "Remove File" have no `stats`.
                    action.Remove("stats");
                }

                action["timestamp"] = at.ImportedAt.ToUnixTimeMilliseconds();
                action["version"] = at.Version.Number;
                lines.Add(new JsonObject { [kind] = action });
            }
        }
        finally
        {
            foreach (var (_, olderPlan) in older)
            {
                olderPlan.Dispose();
            }
        }
    }

    // The range as asked in the change data feed's query string, or why it is not one.
    private static (string? Error, VersionRange? Range) ReadRange(IQueryCollection query)
    {
        if (query.ContainsKey("startingVersion") == query.ContainsKey("startingTimestamp"))
        {
            return ("give exactly one of `startingVersion` and `startingTimestamp`", null);
        }

        if (query.ContainsKey("endingVersion") && query.ContainsKey("endingTimestamp"))
        {
            return ("give at most one of `endingVersion` and `endingTimestamp`", null);
        }

        long? startingVersion = null, endingVersion = null;
        DateTimeOffset? startingTimestamp = null, endingTimestamp = null;
        if (query.ContainsKey("startingVersion"))
        {
            if (!TryReadVersion(query["startingVersion"], out var start))
            {
                return ("`startingVersion` is a non-negative whole number", null);
            }

            startingVersion = start;
        }
        else if (!TryReadTimestamp(query["startingTimestamp"], out var from))
        {
            return ("`startingTimestamp` is `yyyy-mm-dd hh:mm:ss[.f...]` (UTC) or an RFC 3339 instant", null);
        }
        else
        {
            startingTimestamp = from;
        }

        if (query.ContainsKey("endingVersion"))
        {
            if (!TryReadVersion(query["endingVersion"], out var end))
            {
                return ("`endingVersion` is a non-negative whole number", null);
            }

            endingVersion = end;
        }
        else if (query.ContainsKey("endingTimestamp"))
        {
            if (!TryReadTimestamp(query["endingTimestamp"], out var to))
            {
                return ("`endingTimestamp` is `yyyy-mm-dd hh:mm:ss[.f...]` (UTC) or an RFC 3339 instant", null);
            }

            endingTimestamp = to;
        }

        return (null, new VersionRange(startingVersion, startingTimestamp, endingVersion, endingTimestamp));
    }

    // The range as indexes into the versions (oldest first), or why it is not one. Dataset versions start at 1, so a
    // start before the first version (the protocol's usual startingVersion=0) starts at the first; an end after the
    // latest ends at the latest, as Delta does.
    private static (string? Error, int First, int Last) Resolve(VersionRange range, List<DatasetManifest> versions)
    {
        if (versions.Count == 0)
        {
            return ("the table has no version yet", 0, 0);
        }

        int first;
        if (range.StartingVersion is { } start)
        {
            if (start > versions[^1].Version.Number)
            {
                return ($"`startingVersion` {start} is after the table's latest version {versions[^1].Version.Number}", 0, 0);
            }

            first = versions.FindIndex(m => m.Version.Number >= start);
        }
        else if ((first = versions.FindIndex(m => m.ImportedAt >= range.StartingTimestamp)) < 0)
        {
            return ("`startingTimestamp` is after the table's latest version was imported", 0, 0);
        }

        var last = range switch
        {
            { EndingVersion: { } end } => versions.FindLastIndex(m => m.Version.Number <= end),
            { EndingTimestamp: { } to } => versions.FindLastIndex(m => m.ImportedAt <= to),
            _ => versions.Count - 1,
        };
        return last < first
            ? ("the ending version or timestamp is before the starting one", 0, 0)
            : (null, first, last);
    }

    private static bool TryReadVersion(string? text, out long version) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    // Spec: PROTOCOL.md "Timestamp Format": `yyyy-[m]m-[d]d hh:mm:ss[.f...]` in the server's time zone, here UTC.
    private static bool TryReadTimestamp(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text, s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);

    // A range of table versions: a start (a version or a timestamp) and an optional end, both inclusive.
    private sealed record VersionRange(long? StartingVersion, DateTimeOffset? StartingTimestamp, long? EndingVersion, DateTimeOffset? EndingTimestamp);

    // How a range of versions is answered: as the change data feed, or as a query's table changes since a version.
    private enum History
    {
        ChangeDataFeed,
        TableChanges,
    }
}
