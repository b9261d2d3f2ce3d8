using System.CommandLine;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordat.Cli.Commands;

/// <summary>
/// The verbs that work on a stored log in a workspace: <c>log init|append|get|checkpoint|verify</c> and
/// <c>log prove inclusion|consistency</c>. The log lives in the store <see cref="StoreEngines"/> chooses from
/// <c>--workspace</c> and <c>--store</c>, the log key in the workspace. On SQLite each verb takes the workspace's writer
/// lock and refuses while another process holds it.
/// </summary>
internal static class LogStoreCommands
{
    /// <summary>The default origin (and log key name) of a new log.</summary>
    public const string DefaultOrigin = "concordat.log";

    /// <summary>The signer key file in a workspace (owner-only).</summary>
    public const string KeyFileName = "log.key";

    /// <summary>The verifier key file in a workspace.</summary>
    public const string PublicKeyFileName = "log.pub";

    /// <summary><c>log init</c>.</summary>
    public static Command CreateInit(TextWriter stdout, TextWriter stderr)
    {
        var place = new PlaceOptions();
        var origin = new Option<string>("--origin") { Description = "The log's origin, also its key name", DefaultValueFactory = _ => DefaultOrigin };
        var command = new Command("init", "Create a log and its operator log key in a workspace") { place.Workspace, place.Store, origin };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return InitAsync(context, place.Read(parse), parse.GetValue(origin)!, cancellationToken);
        });
        return command;
    }

    private static async Task<int> InitAsync(CliContext context, LogPlace place, string origin, CancellationToken cancellationToken)
    {
        if (!NoteKey.IsValidName(origin))
        {
            return context.Fail(ExitCodes.Invalid, LogErrorCodes.NameInvalid, $"origin `{origin}` is not a valid key name", "use a non-empty name with no `+` and no spaces, such as `log.example.org`");
        }

        return await RunOnStoreAsync(context, place, async engine =>
        {
            var keyPath = Path.Combine(place.Workspace, KeyFileName);
            if (File.Exists(keyPath) || await engine.HasLogAsync(cancellationToken).ConfigureAwait(false))
            {
                return context.Fail(ExitCodes.Error, LogErrorCodes.LogExists, $"the {engine.Name} store of `{place.Workspace}` already holds a log");
            }

            var verifierKey = await CreateLogKeyAsync(place.Workspace, origin, cancellationToken).ConfigureAwait(false);
            return await WithLogAsync(context, engine, place.Workspace, signing: true, create: true, async log =>
            {
                var outcome = await log.SignCheckpointAsync(cancellationToken).ConfigureAwait(false);
                if (!outcome.IsSigned)
                {
                    return Report(context, outcome.Problem!);
                }

                context.Out.WriteLine(verifierKey);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Writes a new log key for <paramref name="origin"/> into the workspace (<c>log.key</c>, owner-only; <c>log.pub</c>).</summary>
    /// <returns>The verifier key.</returns>
    internal static async Task<string> CreateLogKeyAsync(string workspace, string origin, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workspace);
        var privateKey = Ed25519PrivateKey.Generate();
        SecretFile.WriteNew(Path.Combine(workspace, KeyFileName), NoteKey.FormatSignerKey(origin, privateKey) + "\n");
        var verifierKey = NoteKey.FormatVerifierKey(origin, privateKey.PublicKey);
        await File.WriteAllTextAsync(Path.Combine(workspace, PublicKeyFileName), verifierKey + "\n", cancellationToken).ConfigureAwait(false);
        return verifierKey;
    }

    /// <summary><c>log append</c>.</summary>
    public static Command CreateAppend(TextWriter stdout, TextWriter stderr)
    {
        var place = new PlaceOptions();
        var type = new Option<string>("--type") { Description = "The versioned entry type, such as `decision/v1`", Required = true };
        var file = new Argument<string?>("FILE") { Description = "The JSON body; standard input when omitted or `-`", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("append", "Append one entry and print its index once it is durable") { place.Workspace, place.Store, type, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var entryType = parse.GetValue(type)!;
            if (!LogEntry.IsValidType(entryType))
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.NameInvalid, $"entry type `{entryType}` is not of the form `name/vN`", "use a lowercase name and a version, such as `decision/v1`");
            }

            var path = parse.GetValue(file);
            if (!CliInput.TryReadAll(context, path, out var input))
            {
                return ExitCodes.Error;
            }

            JsonDocument body;
            try
            {
                body = JsonDocument.Parse(input);
            }
            catch (JsonException ex)
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.EntryBodyInvalid, $"`{CliInput.DisplayName(path)}` is not JSON: {ex.Message}", "give the entry body as one JSON value");
            }

            using (body)
            {
                LogEntry entry;
                try
                {
                    entry = LogEntry.Create(entryType, TimeProvider.System.GetUtcNow(), body.RootElement);
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    return context.Fail(ExitCodes.Invalid, LogErrorCodes.EntryBodyInvalid, $"`{CliInput.DisplayName(path)}` cannot be logged: {ex.Message}");
                }

                return await WithLogAsync(context, place.Read(parse), signing: false, async log =>
                {
                    var result = await log.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
                    if (result.IsPushback)
                    {
                        return context.Fail(ExitCodes.Error, LogErrorCodes.Pushback, "the log is too busy to take the entry", $"retry after {result.RetryAfter.TotalSeconds} s");
                    }

                    context.Out.WriteLine(result.Index);
                    return ExitCodes.Ok;
                }).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary><c>log get</c>.</summary>
    public static Command CreateGet(TextWriter stdout, TextWriter stderr)
    {
        var place = new PlaceOptions();
        var index = CliNumbers.Count("--index", "The entry index, from 0");
        var command = new Command("get", "Print the stored canonical bytes of one entry") { place.Workspace, place.Store, index };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var at = parse.GetValue(index);
            return WithStorageAsync(context, place.Read(parse), async storage =>
            {
                var size = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
                if (at < 0 || at >= size)
                {
                    return OutOfRange(context, $"index {at} is not in the log of size {size}");
                }

                var entries = await storage.ReadEntriesAsync(at, 1, cancellationToken).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    return Report(context, new LogProblem(LogErrorCodes.EntryMissing, $"entry {at} is missing from storage", at));
                }

                context.Out.WriteLine(Encoding.UTF8.GetString(entries[0].Entry));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary><c>log checkpoint</c>.</summary>
    public static Command CreateCheckpoint(TextWriter stdout, TextWriter stderr)
    {
        var place = new PlaceOptions();
        var command = new Command("checkpoint", "Sign a checkpoint of the log with the log key, add it to the history and print it") { place.Workspace, place.Store };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return WithLogAsync(context, place.Read(parse), signing: true, async log =>
            {
                var outcome = await log.SignCheckpointAsync(cancellationToken).ConfigureAwait(false);
                if (!outcome.IsSigned)
                {
                    return Report(context, outcome.Problem!);
                }

                context.Out.Write(outcome.Note);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary><c>log verify</c>: a workspace's stored log, or with <c>--bundle</c> a log export, offline.</summary>
    public static Command CreateVerify(TextWriter stdout, TextWriter stderr)
    {
        var place = new PlaceOptions(workspaceRequired: false);
        var bundle = new Option<string?>("--bundle") { Description = "Verify a log export (`log export`) instead of a workspace: offline, with no workspace or store" };
        var url = new Option<string?>("--url") { Description = "Verify a log you do not run through its C2SP tiles: the tlog-tiles prefix (a gateway's is `https://HOST/tlog`) or a folder `log export --tiles` wrote" };
        var logKey = new Option<string?>("--log-key") { Description = "With --bundle or --url: the log's verifier key, inline or as a file, obtained from the operator (never from the log)" };
        var witnessKeys = new Option<string[]>("--witness-key") { Description = "With --url: a witness's cosigner verifier key (`concordat key cosigner`), inline or as a file; repeat for each witness", AllowMultipleArgumentsPerToken = false };
        var cosignatures = new Option<int?>("--cosignatures") { Description = "With --url: how many of the --witness-key witnesses must have cosigned the checkpoint (default: all given)" };
        var state = new Option<string?>("--state") { Description = "With --url: the file keeping the last checkpoint verified; the new one must be consistent with it, and replaces it only when everything verified" };
        var full = new Option<bool>("--full") { Description = "With --url: read every tile and entry bundle, check every entry against its leaf hash and recompute the root" };
        var token = new Option<string?>("--token") { Description = "With --url (a gateway's /tlog prefix): a recipient's bearer token, inline or as a file; every entry `/v1/log/mine` lists is proved included, and with --state every one listed before must still be" };
        var json = new Option<bool>("--json") { Description = "Print the outcome as one JSON object" };
        var command = new Command("verify", "Recompute every hash from the stored entries and check every checkpoint and the signed history; never writes, never repairs. With --url, check a log served as C2SP tiles against pinned keys")
        {
            place.Workspace, place.Store, bundle, url, logKey, witnessKeys, cosignatures, state, full, token, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var at = place.Read(parse);
            if ((parse.GetValue(bundle) is not null ? 1 : 0) + (parse.GetValue(url) is not null ? 1 : 0) + (at.Workspace.Length > 0 ? 1 : 0) > 1)
            {
                return Task.FromResult(context.Fail(ExitCodes.Invalid, LogErrorCodes.ExportMalformed, "give one of --workspace, --bundle and --url", "a stored log, a log export, or a served log: one at a time"));
            }

            if (parse.GetValue(url) is { } location)
            {
                var remote = new LogRemoteVerify.Request(location, parse.GetValue(logKey), parse.GetValue(witnessKeys) ?? [], parse.GetValue(cosignatures), parse.GetValue(state), parse.GetValue(full), parse.GetValue(json))
                {
                    Token = parse.GetValue(token),
                };
                return LogRemoteVerify.RunAsync(context, remote, cancellationToken);
            }

            if (parse.GetValue(bundle) is { } bundlePath)
            {
                return LogExportCommands.VerifyBundleAsync(context, bundlePath, parse.GetValue(logKey), parse.GetValue(json), cancellationToken);
            }

            if (at.Workspace.Length == 0)
            {
                return Task.FromResult(context.Fail(ExitCodes.Invalid, LogErrorCodes.NoLog, "give --workspace (a stored log), --bundle (a log export) or --url (a served log)", "`log verify --workspace DIR`, `log verify --bundle FILE --log-key KEY`, or `log verify --url URL --log-key KEY`"));
            }

            if (!KeyFiles.TryReadVerifierKey(Path.Combine(at.Workspace, PublicKeyFileName), out var key, out var keyError))
            {
                return Task.FromResult(context.Fail(ExitCodes.Error, LogErrorCodes.LogKeyInvalid, keyError!, $"the workspace's verifier key is `{PublicKeyFileName}`"));
            }

            return WithStorageAsync(context, at, async storage =>
            {
                var verification = await LogVerifier.VerifyAsync(storage, key!, cancellationToken).ConfigureAwait(false);
                if (!verification.IsValid)
                {
                    return Report(context, verification.Problem!);
                }

                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(new { verified = true, treeSize = verification.TreeSize, rootHash = verification.RootHash.ToString(), checkpoints = verification.CheckpointsChecked, historySigned = verification.IsHistorySigned }));
                    return ExitCodes.Ok;
                }

                var history = verification.IsHistorySigned
                    ? "history matches its signed record"
                    : "history has no signed record yet (a log from before records: it gets one at its next checkpoint)";
                context.Out.WriteLine($"log verified: {verification.TreeSize} entries, root {verification.RootHash}, {verification.CheckpointsChecked} checkpoints consistent, {history}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary><c>log prove inclusion</c>.</summary>
    public static Command CreateProveInclusion(TextWriter stdout, TextWriter stderr)
    {
        var place = new PlaceOptions();
        var index = CliNumbers.Count("--index", "The entry index");
        var size = CliNumbers.OptionalCount("--size", "The tree size to prove against; the stored tree size when omitted");
        var command = new Command("inclusion", "Print the inclusion proof of an entry, in the options of `log check-inclusion`") { place.Workspace, place.Store, index, size };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return WithStorageAsync(context, place.Read(parse), async storage =>
            {
                var stored = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
                var treeSize = parse.GetValue(size) ?? stored;
                var at = parse.GetValue(index);
                if (treeSize > stored || treeSize < 1 || at < 0 || at >= treeSize)
                {
                    return OutOfRange(context, $"index {at} is not in a tree of size {treeSize} (the log holds {stored} entries)");
                }

                var source = new LogHashSource(storage);
                var leaf = new MerkleHash[1];
                await source.ReadNodeHashesAsync([new MerkleNodeId(0, at)], leaf, cancellationToken).ConfigureAwait(false);
                var proof = await MerkleProofs.CreateInclusionProofAsync(source, at, treeSize, cancellationToken).ConfigureAwait(false);
                var root = await MerkleProofs.ComputeRootAsync(source, treeSize, cancellationToken).ConfigureAwait(false);
                context.Out.WriteLine($"--leaf-hash {leaf[0]} --index {at} --size {treeSize} --root {root} --proof {string.Join(',', proof)}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary><c>log prove consistency</c>.</summary>
    public static Command CreateProveConsistency(TextWriter stdout, TextWriter stderr)
    {
        var place = new PlaceOptions();
        var size1 = CliNumbers.Count("--size1", "The older tree size");
        var size2 = CliNumbers.OptionalCount("--size2", "The newer tree size; the stored tree size when omitted");
        var command = new Command("consistency", "Print the consistency proof between two tree sizes, in the options of `log check-consistency`") { place.Workspace, place.Store, size1, size2 };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return WithStorageAsync(context, place.Read(parse), async storage =>
            {
                var stored = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
                var older = parse.GetValue(size1);
                var newer = parse.GetValue(size2) ?? stored;
                if (older < 0 || older > newer || newer > stored)
                {
                    return OutOfRange(context, $"sizes {older} and {newer} are not 0 <= size1 <= size2 <= {stored}");
                }

                var source = new LogHashSource(storage);
                var proof = await MerkleProofs.CreateConsistencyProofAsync(source, older, newer, cancellationToken).ConfigureAwait(false);
                var root1 = await MerkleProofs.ComputeRootAsync(source, older, cancellationToken).ConfigureAwait(false);
                var root2 = await MerkleProofs.ComputeRootAsync(source, newer, cancellationToken).ConfigureAwait(false);
                context.Out.WriteLine($"--size1 {older} --size2 {newer} --root1 {root1} --root2 {root2} --proof {string.Join(',', proof)}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>Runs <paramref name="action"/> on the workspace's log, opened for reading only.</summary>
    internal static Task<int> WithStorageAsync(CliContext context, LogPlace place, Func<ILogStorage, Task<int>> action) =>
        RunOnStoreAsync(context, place, engine => WithStorageAsync(context, engine, place.Workspace, create: false, readOnly: true, action));

    private static int OutOfRange(CliContext context, string message) =>
        context.Fail(ExitCodes.Invalid, LogErrorCodes.OutsideLog, message);

    internal static int Report(CliContext context, LogProblem problem) =>
        context.Fail(ExitCodes.VerificationFailed, problem.Error, problem.Message);

    private static Task<int> WithLogAsync(CliContext context, LogPlace place, bool signing, Func<TransparencyLog, Task<int>> action) =>
        RunOnStoreAsync(context, place, engine => WithLogAsync(context, engine, place.Workspace, signing, create: false, action));

    internal static Task<int> WithLogAsync(CliContext context, IStoreEngine engine, string workspace, bool signing, bool create, Func<TransparencyLog, Task<int>> action)
    {
        NoteSignerKey? key = null;
        if (signing && !KeyFiles.TryReadSignerKey(Path.Combine(workspace, KeyFileName), out key, out var keyError))
        {
            return Task.FromResult(context.Fail(ExitCodes.Error, LogErrorCodes.LogKeyInvalid, keyError!, $"the workspace's log key is `{KeyFileName}`"));
        }

        return WithStorageAsync(context, engine, workspace, create, readOnly: false, async storage =>
        {
            await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, key, null, CancellationToken.None).ConfigureAwait(false);
            return await action(log).ConfigureAwait(false);
        });
    }

    private static async Task<int> WithStorageAsync(CliContext context, IStoreEngine engine, string workspace, bool create, bool readOnly, Func<ILogStorage, Task<int>> action)
    {
        if (!create && !await engine.HasLogAsync(CancellationToken.None).ConfigureAwait(false))
        {
            return Missing(context, engine, workspace);
        }

        ILogStorage storage;
        try
        {
            storage = readOnly
                ? await engine.OpenLogForReadingAsync(CancellationToken.None).ConfigureAwait(false)
                : await engine.OpenLogAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return Missing(context, engine, workspace);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            return context.Fail(ExitCodes.Error, LogErrorCodes.LogLocked, ex.Message);
        }
        catch (InvalidDataException ex)
        {
            return context.Fail(ExitCodes.Error, LogErrorCodes.LogCorrupt, ex.Message);
        }

        await using (storage.ConfigureAwait(false))
        {
            try
            {
                return await action(storage).ConfigureAwait(false);
            }
            catch (LogDamagedException ex)
            {
                return context.Fail(ExitCodes.VerificationFailed, ex.Problem.Error, ex.Problem.Message);
            }
            catch (InvalidDataException ex)
            {
                return context.Fail(ExitCodes.VerificationFailed, LogErrorCodes.HashMissing, ex.Message, "run `concordat log verify` to find the first bad entry");
            }
        }
    }

    /// <summary>
    /// Refuses a store with no log: <c>LOG4127</c> when the workspace has a log key (so a log was created and is now
    /// missing or empty), <c>LOG4122</c> otherwise.
    /// </summary>
    private static int Missing(CliContext context, IStoreEngine engine, string workspace) =>
        File.Exists(Path.Combine(workspace, KeyFileName)) || File.Exists(Path.Combine(workspace, PublicKeyFileName))
            ? context.Fail(ExitCodes.Error, LogErrorCodes.LogMissing, $"the workspace `{workspace}` has a log key, but its {engine.Name} store holds no log: it is missing or empty")
            : context.Fail(ExitCodes.Error, LogErrorCodes.NoLog, $"the {engine.Name} store of `{workspace}` holds no log");

    /// <summary>Runs <paramref name="action"/> on the engine <see cref="StoreEngines"/> chooses for <paramref name="place"/>.</summary>
    /// <summary>Runs <paramref name="action"/> on the store engine of <paramref name="place"/>, reporting a store that cannot be opened.</summary>
    internal static async Task<int> RunOnStoreAsync(CliContext context, LogPlace place, Func<IStoreEngine, Task<int>> action)
    {
        IStoreEngine engine;
        try
        {
            engine = StoreEngines.Create(place.Workspace, place.Store, TimeProvider.System, NullLoggerFactory.Instance);
        }
        catch (ArgumentException ex)
        {
            // Security: the message names the problem, never the connection string, which may hold a password.
            return context.Fail(ExitCodes.Error, LogErrorCodes.StoreUnavailable, $"--store is not a connection string: {ex.Message}", "give an Npgsql connection string, such as `Host=db;Database=concordat;Username=concordat`");
        }

        await using (engine.ConfigureAwait(false))
        {
            try
            {
                return await action(engine).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                return context.Fail(ExitCodes.Error, LogErrorCodes.StoreUnavailable, $"the {engine.Name} store cannot be opened: {ex.Message}");
            }
        }
    }

    /// <summary>The <c>--workspace</c> and <c>--store</c> options of one verb.</summary>
    internal sealed class PlaceOptions(bool workspaceRequired = true)
    {
        public Option<string> Workspace { get; } = new("--workspace") { Description = "The workspace folder that holds the log key, and the log on SQLite", Required = workspaceRequired };

        public Option<string?> Store { get; } = WorkspaceOptions.Store();

        public LogPlace Read(ParseResult parse) => new(parse.GetValue(Workspace) ?? string.Empty, parse.GetValue(Store));
    }

    /// <summary>Where a verb's log is: the workspace (the log key; the log itself on SQLite) and the <c>--store</c> value.</summary>
    internal sealed record LogPlace(string Workspace, string? Store);
}
