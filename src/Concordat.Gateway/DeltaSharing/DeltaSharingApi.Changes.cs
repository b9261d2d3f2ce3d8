using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Data.Datasets;
using Concordat.Gateway.Problems;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>The change data feed: <c>GET .../tables/{table}/changes</c>, built from the dataset's versions.</summary>
internal static partial class DeltaSharingApi
{
    // Spec: PROTOCOL.md "Timestamp Format": `yyyy-[m]m-[d]d hh:mm:ss[.f...]` in the server's time zone, here UTC; and RFC 3339.
    private static readonly string[] s_timestampFormats =
        ["yyyy-M-d H:mm:ss", "yyyy-M-d H:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>
    /// Spec: delta-io/delta-sharing PROTOCOL.md "Read Change Data Feed from a Table": a start (version or timestamp),
    /// an optional end (else the latest version), both inclusive; answered as a <c>protocol</c> line, a <c>metaData</c>
    /// line, then one file action per version with its <c>version</c> and <c>timestamp</c>.
    /// </summary>
    /// <remarks>
    /// Version N's changes are the rows the recipient would receive from version N and not from the version before it
    /// (<c>insert</c>) and the reverse (<c>delete</c>), in one <c>cdf</c> file carrying <c>_change_type</c>; the first
    /// version, with nothing before it, is an <c>add</c> of its whole file (every row an insert). A version whose changes
    /// leave nothing visible to the recipient has no line. Security: one decision, logged before any URL, exactly as a
    /// table query; the files carry the obligations already applied, and every version read (and the one before the
    /// first) must have been imported under the schema the agreement in force declares.
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

        var versions = services.Datasets.ListVersions(found.Dataset).Select(v => services.Datasets.GetVersion(found.Dataset, v)!).ToList();
        var (bad, first, last) = ReadRange(context.Request.Query, versions);
        if (bad is not null)
        {
            return await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", bad).ConfigureAwait(false);
        }

        var latest = versions.Count == 0 ? null : versions[^1];
        var decided = await DecideAsync(services, found, latest, versions[last]).ConfigureAwait(false);
        if (decided.Refusal is not null)
        {
            return decided.Refusal;
        }

        using (var plan = decided.Plan!)
        {
            var definition = decided.Decision!.Agreement!.Agreement.Datasets.First(d => d.Id == found.Dataset);
            var stale = versions.Skip(Math.Max(0, first - 1)).Take(last - Math.Max(0, first - 1) + 1).FirstOrDefault(m => !m.MatchesSchemaOf(definition));
            if (stale is not null)
            {
                return await RefuseAsync(services, token, ProblemCode.InvalidRequest, "INVALID_PARAMETER_VALUE", $"version `{stale.Version.Number}` was imported under another schema than the agreement in force declares: ask for changes from a later version", decided.Decision.Id).ConfigureAwait(false);
            }

            var lines = new List<JsonObject> { ProtocolLine(), MetadataLine(found, plan, isChangeDataFeed: true) };
            for (var i = first; i <= last; i++)
            {
                var (current, previous) = (versions[i], i == 0 ? null : versions[i - 1]);
                var file = previous is null
                    ? await services.Files.Cache.GetOrWriteAsync(plan, current, services.Datasets, context.RequestAborted).ConfigureAwait(false)
                    : await services.Files.Cache.GetOrWriteChangesAsync(plan, previous, current, services.Datasets, context.RequestAborted).ConfigureAwait(false);
                if (file.Rows == 0)
                {
                    continue;
                }

                var action = FileAction(services, found, decided.Decision, file, current.Version.Number);
                action["timestamp"] = current.ImportedAt.ToUnixTimeMilliseconds();
                action["version"] = current.Version.Number;
                lines.Add(new JsonObject { [previous is null ? "add" : "cdf"] = action });
            }

            context.Response.Headers["Delta-Table-Version"] = versions[first].Version.Number.ToString(CultureInfo.InvariantCulture);
            return Ndjson(lines);
        }
    }

    // The range as indexes into the versions (oldest first), or why it is not one. Dataset versions start at 1, so a
    // start before the first version (the protocol's usual startingVersion=0) starts at the first; an end after the
    // latest ends at the latest, as Delta does.
    private static (string? Error, int First, int Last) ReadRange(IQueryCollection query, List<DatasetManifest> versions)
    {
        if (query.ContainsKey("startingVersion") == query.ContainsKey("startingTimestamp"))
        {
            return ("give exactly one of `startingVersion` and `startingTimestamp`", 0, 0);
        }

        if (query.ContainsKey("endingVersion") && query.ContainsKey("endingTimestamp"))
        {
            return ("give at most one of `endingVersion` and `endingTimestamp`", 0, 0);
        }

        if (versions.Count == 0)
        {
            return ("the table has no version yet", 0, 0);
        }

        int first;
        if (query.ContainsKey("startingVersion"))
        {
            if (!TryReadVersion(query["startingVersion"], out var start))
            {
                return ("`startingVersion` is a non-negative whole number", 0, 0);
            }

            if (start > versions[^1].Version.Number)
            {
                return ($"`startingVersion` {start} is after the table's latest version {versions[^1].Version.Number}", 0, 0);
            }

            first = versions.FindIndex(m => m.Version.Number >= start);
        }
        else if (!TryReadTimestamp(query["startingTimestamp"], out var from))
        {
            return ("`startingTimestamp` is `yyyy-mm-dd hh:mm:ss[.f...]` (UTC) or an RFC 3339 instant", 0, 0);
        }
        else if ((first = versions.FindIndex(m => m.ImportedAt >= from)) < 0)
        {
            return ("`startingTimestamp` is after the table's latest version was imported", 0, 0);
        }

        var last = versions.Count - 1;
        if (query.ContainsKey("endingVersion"))
        {
            if (!TryReadVersion(query["endingVersion"], out var end))
            {
                return ("`endingVersion` is a non-negative whole number", 0, 0);
            }

            last = versions.FindLastIndex(m => m.Version.Number <= end);
        }
        else if (query.ContainsKey("endingTimestamp"))
        {
            if (!TryReadTimestamp(query["endingTimestamp"], out var to))
            {
                return ("`endingTimestamp` is `yyyy-mm-dd hh:mm:ss[.f...]` (UTC) or an RFC 3339 instant", 0, 0);
            }

            last = versions.FindLastIndex(m => m.ImportedAt <= to);
        }

        return last < first
            ? ("the ending version or timestamp is before the starting one", 0, 0)
            : (null, first, last);
    }

    private static bool TryReadVersion(string? text, out long version) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    // Spec: PROTOCOL.md "Timestamp Format": `yyyy-[m]m-[d]d hh:mm:ss[.f...]` in the server's time zone, here UTC.
    private static bool TryReadTimestamp(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text, s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
}
