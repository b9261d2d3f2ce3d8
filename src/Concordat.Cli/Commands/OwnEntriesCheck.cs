using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>log verify --url … --token</c>: the partner's own entries, as the gateway lists them (<c>/v1/log/mine</c>), each
/// proved included in a checkpoint the log signed and that is consistent with the tree the tiles verified; and every
/// own entry seen before (kept in the state file) still listed at its index with the same leaf hash.
/// </summary>
internal static class OwnEntriesCheck
{
    private const int MaxPages = 100_000;

    /// <summary>What the check found: the own entries (index → base64 leaf hash), or the problem.</summary>
    public sealed record Outcome(SortedDictionary<long, string> Entries, IReadOnlyList<(long Index, string Type)> New, LogProblem? Problem);

    /// <summary>The gateway's base address for a tlog-tiles prefix <c>https://HOST/tlog</c>, or null when it is not one.</summary>
    public static Uri? GatewayBase(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/tlog", StringComparison.Ordinal) ? new Uri(uri, path[..^"tlog".Length]) : null;
    }

    public static async Task<Outcome> RunAsync(Uri gateway, string token, NoteVerifierKey logKey, Checkpoint verified, IReadOnlyDictionary<long, string> seen, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var entries = new SortedDictionary<long, string>();
        var found = new List<(long, string)>();
        Checkpoint? listed = null;
        long cursor = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var json = await GetJsonAsync(http, $"v1/log/mine?cursor={cursor}", cancellationToken).ConfigureAwait(false);
            var note = json["checkpoint"]?.GetValue<string>() ?? throw new JsonException("no `checkpoint`");
            if (!Checkpoint.TryOpen(System.Text.Encoding.UTF8.GetBytes(note), [NoteVerifier.ForEd25519(logKey)], out var checkpoint, out var opened, expectedOrigin: logKey.Name))
            {
                return Fail(LogErrorCodes.RemoteCheckpointNotVerified, $"the checkpoint `/v1/log/mine` answers with is not signed by the log key: {opened.Reason}", null);
            }

            if (listed is null)
            {
                listed = checkpoint;
                if (await TieAsync(http, verified, checkpoint, cancellationToken).ConfigureAwait(false) is { } fork)
                {
                    return new Outcome(entries, found, fork);
                }
            }
            else if (checkpoint.TreeSize != listed.TreeSize || checkpoint.RootHash != listed.RootHash)
            {
                // The log grew between pages: tie the new checkpoint to the first as well.
                if (await TieAsync(http, listed, checkpoint, cancellationToken).ConfigureAwait(false) is { } fork)
                {
                    return new Outcome(entries, found, fork);
                }
            }

            foreach (var item in json["entries"]?.AsArray() ?? [])
            {
                if (Check(item, checkpoint) is { } problem)
                {
                    return new Outcome(entries, found, problem);
                }

                var index = item!["index"]!.GetValue<long>();
                entries[index] = item["leafHash"]!.GetValue<string>();
                if (!seen.ContainsKey(index))
                {
                    found.Add((index, TypeOf(item["bytes"]!.GetValue<string>())));
                }
            }

            var next = json["nextCursor"]?.GetValue<long>() ?? throw new JsonException("no `nextCursor`");
            if (next <= cursor || next >= checkpoint.TreeSize)
            {
                break;
            }

            cursor = next;
        }

        // Security: an entry the gateway listed before and no longer lists (or lists with other bytes) is hidden or
        // changed; the partner's saved state is its own memory of what the log said about it.
        foreach (var (index, leaf) in seen)
        {
            if (!entries.TryGetValue(index, out var now) || now != leaf)
            {
                return Fail(LogErrorCodes.EntryNotIncluded, now is null
                    ? $"own entry {index}, listed before, is no longer listed by `/v1/log/mine`"
                    : $"own entry {index}, listed before with leaf hash `{leaf}`, is now listed with `{now}`", index);
            }
        }

        return new Outcome(entries, found, null);
    }

    private static LogProblem? Check(JsonNode? item, Checkpoint checkpoint)
    {
        var index = item?["index"]?.GetValue<long>() ?? throw new JsonException("an entry without `index`");
        var bytes = Convert.FromBase64String(item["bytes"]?.GetValue<string>() ?? throw new JsonException("an entry without `bytes`"));
        var leaf = MerkleHash.OfLeaf(bytes);
        if (item["leafHash"]?.GetValue<string>() != leaf.ToBase64())
        {
            return new LogProblem(LogErrorCodes.EntryNotIncluded, $"own entry {index}: its bytes do not hash to the leaf hash listed with them", index);
        }

        var proof = (item["inclusionProof"]?.AsArray() ?? []).Select(h => MerkleHash.FromBytes(Convert.FromBase64String(h!.GetValue<string>()))).ToList();
        var verification = index < checkpoint.TreeSize
            ? MerkleProofVerifier.VerifyInclusion(leaf, index, checkpoint.TreeSize, proof, checkpoint.RootHash)
            : null;
        return verification is { IsValid: true } ? null
            : new LogProblem(LogErrorCodes.EntryNotIncluded, $"own entry {index} is not proved included in the signed tree of {checkpoint.TreeSize} entries: {verification?.Reason ?? "its index is outside the tree"}", index);
    }

    // The checkpoint /v1/log/mine proves against must be the verified tree, or a tree consistent with it.
    private static async Task<LogProblem?> TieAsync(HttpClient http, Checkpoint verified, Checkpoint other, CancellationToken cancellationToken)
    {
        var (older, newer) = verified.TreeSize <= other.TreeSize ? (verified, other) : (other, verified);
        if (older.TreeSize == newer.TreeSize || older.TreeSize == 0)
        {
            return older.TreeSize == newer.TreeSize && older.RootHash != newer.RootHash
                ? new LogProblem(LogErrorCodes.TreeNotConsistent, $"`/v1/log/mine` proves against a checkpoint of size {other.TreeSize} with root `{other.RootHash}`, the tiles against one of the same size with root `{verified.RootHash}` (split view)", null)
                : null;
        }

        var json = await GetJsonAsync(http, $"v1/log/proofs/consistency?first={older.TreeSize}&second={newer.TreeSize}", cancellationToken).ConfigureAwait(false);
        var proof = (json["hashes"]?.AsArray() ?? []).Select(h => MerkleHash.FromBytes(Convert.FromBase64String(h!.GetValue<string>()))).ToList();
        var verification = MerkleProofVerifier.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, proof);
        return verification.IsValid ? null
            : new LogProblem(LogErrorCodes.TreeNotConsistent, $"the checkpoint `/v1/log/mine` proves against (size {other.TreeSize}) is not consistent with the one the tiles verified (size {verified.TreeSize}): {verification.Reason}", null);
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Security: the answer may echo the request; the token is never part of the message.
            throw new IOException($"`/{path.Split('?')[0]}` answered {(int)response.StatusCode}{(response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? ": the token is not accepted (expired or revoked?)" : string.Empty)}");
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) ?? throw new JsonException("an empty answer");
    }

    // The entry's type, for the report only: read from the JSON as it is, without the log entry's full checks.
    private static string TypeOf(string base64)
    {
        try
        {
            return JsonNode.Parse(Convert.FromBase64String(base64))?["type"]?.GetValue<string>() ?? "?";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "?";
        }
    }

    private static Outcome Fail(Concordat.Core.ErrorCode code, string message, long? index) => new([], [], new LogProblem(code, message, index));
}
