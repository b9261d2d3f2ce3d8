using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Notes;
using Concordat.Tiles;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>log verify --url</c>: a partner checks a log it does not run, through its C2SP tiles, trusting only the keys it
/// pinned: the checkpoint's signature (and witness cosignatures), consistency with the checkpoint it saved last time,
/// and with <c>--full</c> every tile and entry.
/// </summary>
internal static class LogRemoteVerify
{
    /// <summary>What <c>log verify --url</c> was asked.</summary>
    public sealed record Request(string Location, string? LogKey, IReadOnlyList<string> WitnessKeys, int? Cosignatures, string? StatePath, bool IsFull, bool IsJson)
    {
        /// <summary>Gets the recipient's bearer token (inline or a file) whose own entries are checked, or null.</summary>
        public string? Token { get; init; }

        /// <summary>Gets a value indicating whether each own entry not in the saved state is printed (<c>log monitor</c>).</summary>
        public bool ReportsNewEntries { get; init; }
    }

    public static async Task<int> RunAsync(CliContext context, Request request, CancellationToken cancellationToken)
    {
        if (request.LogKey is null)
        {
            return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, "--url needs --log-key: the log's verifier key, obtained from the operator", "a key served by the log would vouch for itself: pin the one the operator publishes");
        }

        if (!KeyFiles.TryReadVerifierKey(request.LogKey, out var logKey, out var keyError))
        {
            return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, keyError!);
        }

        var witnesses = new List<NoteVerifier>();
        foreach (var text in request.WitnessKeys)
        {
            var keyText = File.Exists(text) ? File.ReadAllText(text).Trim() : text;
            if (!CosignatureV1.TryParseVerifierKey(keyText, out var witness, out var witnessError))
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, $"witness key `{text}`: {witnessError}", "give the key `concordat key cosigner` prints for the witness");
            }

            witnesses.Add(witness);
        }

        var required = request.Cosignatures ?? witnesses.Count;
        if (required < 0 || required > witnesses.Count)
        {
            return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, $"--cosignatures {required} asks for more cosignatures than the {witnesses.Count} witness keys given", "give a --witness-key per witness whose cosignature counts");
        }

        SavedState? saved = null;
        if (request.StatePath is { } statePath && File.Exists(statePath))
        {
            if (!SavedState.TryRead(statePath, logKey!.Name, out saved, out var stateError))
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.VerifyStateMalformed, $"`{statePath}`: {stateError}");
            }
        }

        string? token = null;
        Uri? gateway = null;
        if (request.Token is { } tokenText)
        {
            gateway = OwnEntriesCheck.GatewayBase(request.Location);
            if (gateway is null)
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.LogUnreachable, "--token needs --url to be a gateway's tlog-tiles prefix, `https://HOST/tlog`", "the own entries are read from the same gateway's `/v1/log/mine`");
            }

            // Security: the token is a secret: read from a file when one is named, and never printed.
            token = File.Exists(tokenText) ? File.ReadAllText(tokenText).Trim() : tokenText;
        }

        if (!TileSources.TryOpen(request.Location, out var source, out var sourceError))
        {
            return context.Fail(ExitCodes.Invalid, LogErrorCodes.LogUnreachable, sourceError!, "give the log's tlog-tiles prefix, such as `https://gateway.example/tlog`, or a folder `log export --tiles` wrote");
        }

        try
        {
            var own = gateway is null ? null : new OwnEntriesSource(gateway, token!);
            return await VerifyAsync(context, request, source!, logKey!, witnesses, required, saved, own, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return context.Fail(ExitCodes.Error, LogErrorCodes.LogUnreachable, ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return context.Fail(ExitCodes.Error, LogErrorCodes.LogUnreachable, $"the gateway's log API cannot be read: {ex.Message}");
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    private sealed record OwnEntriesSource(Uri Gateway, string Token);

    private static async Task<int> VerifyAsync(
        CliContext context, Request request, ITileSource source, NoteVerifierKey logKey, List<NoteVerifier> witnesses, int required, SavedState? saved, OwnEntriesSource? ownSource, CancellationToken cancellationToken)
    {
        var note = await source.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var logVerifier = NoteVerifier.ForEd25519(logKey);
        if (!Checkpoint.TryOpen(note, [logVerifier, .. witnesses], out var checkpoint, out var opened, expectedOrigin: logKey.Name)
            || !opened.VerifiedSignatures.Any(s => s.Name == logVerifier.Name && s.KeyId == logVerifier.KeyId))
        {
            var why = opened.IsVerified ? "it carries no signature by the log key" : opened.Reason;
            return Report(context, new LogProblem(LogErrorCodes.RemoteCheckpointNotVerified, $"the served checkpoint is not verified: {why}", null));
        }

        var cosigned = opened.VerifiedSignatures.Count(s => witnesses.Any(w => w.Name == s.Name && w.KeyId == s.KeyId));
        if (cosigned < required)
        {
            return Report(context, new LogProblem(LogErrorCodes.RemoteCheckpointNotVerified, $"the served checkpoint of size {checkpoint.TreeSize} carries {cosigned} valid cosignatures of the pinned witnesses, fewer than the {required} required", null));
        }

        if (saved is not null)
        {
            if (checkpoint.TreeSize < saved.TreeSize)
            {
                return Report(context, new LogProblem(LogErrorCodes.TreeRolledBack, $"the served tree has {checkpoint.TreeSize} entries, fewer than the {saved.TreeSize} of the checkpoint saved before", checkpoint.TreeSize));
            }

            if (checkpoint.TreeSize == saved.TreeSize && checkpoint.RootHash != saved.RootHash)
            {
                // Security: two checkpoints of one size with different roots, both signed by the log, prove a split view.
                return Report(context, new LogProblem(LogErrorCodes.TreeNotConsistent, $"the served checkpoint of size {checkpoint.TreeSize} has root `{checkpoint.RootHash}`, the saved one of the same size `{saved.RootHash}`: the log shows different trees (split view)", null));
            }
        }

        var check = new TileCheck(checkpoint.TreeSize, checkpoint.RootHash)
        {
            OlderTreeSize = saved?.TreeSize ?? 0,
            OlderRootHash = saved?.RootHash ?? default,
            IsFull = request.IsFull,
        };
        var result = await TileVerifier.VerifyAsync(source, check, cancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Report(context, result.Problem!);
        }

        OwnEntriesCheck.Outcome? own = null;
        if (ownSource is not null)
        {
            own = await OwnEntriesCheck.RunAsync(ownSource.Gateway, ownSource.Token, logKey, checkpoint, saved?.OwnEntries ?? new SortedDictionary<long, string>(), cancellationToken).ConfigureAwait(false);
            if (own.Problem is { } problem)
            {
                return Report(context, problem);
            }
        }

        if (request.StatePath is { } statePath)
        {
            SavedState.Write(statePath, checkpoint, Encoding.UTF8.GetString(note), own?.Entries ?? saved?.OwnEntries);
        }

        if (request.ReportsNewEntries && own is not null && !request.IsJson)
        {
            foreach (var (index, type) in own.New)
            {
                context.Out.WriteLine($"new own entry {index}: {type}");
            }
        }

        if (request.IsJson)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                verified = true,
                origin = checkpoint.Origin,
                treeSize = checkpoint.TreeSize,
                rootHash = checkpoint.RootHash.ToString(),
                cosignatures = cosigned,
                consistentWithSize = saved?.TreeSize,
                tilesRead = result.TilesRead,
                entriesChecked = result.EntriesChecked,
                ownEntries = own?.Entries.Count,
                newOwnEntries = own?.New.Select(e => new { index = e.Index, type = e.Type }),
            }));
            return ExitCodes.Ok;
        }

        var consistency = saved is null ? "no saved checkpoint to compare" : $"consistent with the saved tree of {saved.TreeSize} entries";
        var full = request.IsFull ? $", every tile read and {result.EntriesChecked} entries checked" : string.Empty;
        var mine = own is null ? string.Empty : $", {own.Entries.Count} own entries proved included ({own.New.Count} new)";
        context.Out.WriteLine($"log verified: {checkpoint.TreeSize} entries, root {checkpoint.RootHash}, {cosigned} witness cosignatures, {consistency}{full}{mine}");
        return ExitCodes.Ok;
    }

    private static int Report(CliContext context, LogProblem problem) => LogStoreCommands.Report(context, problem);

    /// <summary>The checkpoint saved by the last run that verified (CAUTION: persisted; docs/cli.md `log verify`).</summary>
    private sealed record SavedState(string Origin, long TreeSize, MerkleHash RootHash, SortedDictionary<long, string>? OwnEntries)
    {
        private const string Format = "concordat-log-verify-state/v1";

        public static bool TryRead(string path, string origin, out SavedState? state, out string? error)
        {
            state = null;
            try
            {
                var json = JsonNode.Parse(File.ReadAllText(path));
                if (json?["format"]?.GetValue<string>() != Format
                    || json["origin"]?.GetValue<string>() is not { } savedOrigin
                    || json["treeSize"]?.GetValue<long>() is not { } size || size < 0
                    || json["rootHash"]?.GetValue<string>() is not { } root
                    || !MerkleHash.TryFromBytes(Convert.FromBase64String(root), out var rootHash))
                {
                    error = $"not a `{Format}` file";
                    return false;
                }

                if (savedOrigin != origin)
                {
                    error = $"the state is for log `{savedOrigin}`, not `{origin}`";
                    return false;
                }

                SortedDictionary<long, string>? own = null;
                if (json["ownEntries"] is JsonObject entries)
                {
                    own = [];
                    foreach (var (index, leaf) in entries)
                    {
                        own[long.Parse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)] = leaf?.GetValue<string>() ?? throw new JsonException($"own entry {index} has no leaf hash");
                    }
                }

                state = new SavedState(savedOrigin, size, rootHash, own);
                error = null;
                return true;
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
            {
                error = $"not a `{Format}` file: {ex.Message}";
                return false;
            }
        }

        public static void Write(string path, Checkpoint checkpoint, string note, SortedDictionary<long, string>? ownEntries)
        {
            // The signed note is kept beside the values: it is the evidence if the log later shows another tree.
            var text = JsonSerializer.Serialize(new
            {
                format = Format,
                origin = checkpoint.Origin,
                treeSize = checkpoint.TreeSize,
                rootHash = checkpoint.RootHash.ToBase64(),
                checkpoint = note,

                // The own entries (index → base64 leaf hash) `/v1/log/mine` listed: each must stay listed, unchanged.
                ownEntries = ownEntries?.ToDictionary(e => e.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), e => e.Value),
            });
            var partial = path + ".partial";
            File.WriteAllText(partial, text + "\n");
            File.Move(partial, path, overwrite: true);
        }
    }
}
