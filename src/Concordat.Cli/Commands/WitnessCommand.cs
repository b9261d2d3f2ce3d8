using System.CommandLine;
using Concordat.Crypto;
using Concordat.Gateway.Witness;
using Concordat.Storage.Sqlite;
using Concordat.Witness;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat witness serve --state DIR --key KEY --log KEY... [--urls URLS]</c>: Concordat as a C2SP tlog-witness
/// for other logs (a partner's gateway, or any tlog-witness client), until interrupted.
/// </summary>
internal static class WitnessCommand
{
    /// <summary>Where a witness listens by default: loopback, beside the gateway's default port.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8090";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var state = new Option<string>("--state") { Description = "The witness's state folder: `witness.db` keeps the latest cosigned checkpoint of each log; created when missing", Required = true };
        var key = new Option<string>("--key") { Description = "The witness's `.key` file (`concordat key new`); its name is the witness name", Required = true };
        var logs = new Option<string[]>("--log") { Description = "A witnessed log's verifier key (inline or a `.pub` file), its name the log's origin; repeat per log or key", Required = true, AllowMultipleArgumentsPerToken = false };
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback by default); port 0 picks a free port", DefaultValueFactory = _ => DefaultUrls };
        var serve = new Command("serve", "Cosign other logs' checkpoints as a C2SP tlog-witness (POST /add-checkpoint), never a rollback or a fork") { state, key, logs, urls };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var request = new ServeRequest(parse.GetValue(state)!, parse.GetValue(key)!, parse.GetValue(logs)!, parse.GetValue(urls)!);
            return await ServeAsync(context, request, onStarted: null, cancellationToken).ConfigureAwait(false);
        });
        return new Command("witness", "Witness other transparency logs") { serve };
    }

    /// <summary>What <c>witness serve</c> was asked.</summary>
    internal sealed record ServeRequest(string StateDirectory, string KeyPath, IReadOnlyList<string> Logs, string Urls);

    /// <summary>Opens the state, starts the witness and runs it until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="request">The options.</param>
    /// <param name="onStarted">Called with the address once listening (tests).</param>
    /// <param name="cancellationToken">Stops the witness.</param>
    /// <param name="stateOverride">Wraps the opened state (a test seam for faults between the state write and the answer).</param>
    internal static async Task<int> ServeAsync(CliContext context, ServeRequest request, Func<string, Task>? onStarted, CancellationToken cancellationToken, Func<IWitnessStateStore, IWitnessStateStore>? stateOverride = null)
    {
        if (ServeCommand.InvalidUrl(request.Urls) is { } invalid)
        {
            return context.Fail(CliErrorCodes.UrlsInvalid, $"`--urls`: `{invalid}` is not an http:// or https:// address");
        }

        if (!KeyFiles.TryLoadSignerKey(context, request.KeyPath, out var witnessKey, out var exit))
        {
            return exit;
        }

        var logKeys = new List<NoteVerifierKey>();
        foreach (var text in request.Logs)
        {
            if (!KeyFiles.TryReadVerifierKey(text, out var logKey, out var error))
            {
                return context.Fail(CliErrorCodes.WitnessLogKeyInvalid, error!, "give each log's `.pub` verifier key");
            }

            if (logKey!.PublicKey.Bytes.SequenceEqual(witnessKey.PrivateKey.PublicKey.Bytes))
            {
                // Security: a witness that shares the log's key vouches for nothing.
                return context.Fail(CliErrorCodes.WitnessLogKeyInvalid, $"`{text}` is the witness's own key, not a log's");
            }

            logKeys.Add(logKey);
        }

        SqliteWitnessStateStore store;
        try
        {
            store = SqliteWitnessStateStore.Open(request.StateDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return context.Fail(CliErrorCodes.WitnessStateUnavailable, $"cannot open the witness state in `{request.StateDirectory}`: {ex.Message.TrimEnd('.')}");
        }

        using (store)
        {
            var state = stateOverride?.Invoke(store) ?? store;
            var witness = new LogWitness(witnessKey, logKeys, state, TimeProvider.System);
            var app = WitnessApp.Build(request.Urls, witness);
            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    return context.Fail(CliErrorCodes.ListenFailed, $"cannot listen on `{request.Urls}`: {ex.Message.TrimEnd('.')}");
                }

                var address = app.Urls.First();
                context.Out.WriteLine($"concordat witness `{witnessKey.Name}` listening on {address} for {witness.Origins.Count} log(s): {string.Join(", ", witness.Origins.Order(StringComparer.Ordinal))}");
                context.Out.WriteLine($"cosigner key: {witness.VerifierKey}");
                if (onStarted is not null)
                {
                    await onStarted(address).ConfigureAwait(false);
                }

                await ServeCommand.RunUntilStoppedAsync(context, app, cancellationToken).ConfigureAwait(false);
            }
        }

        return ExitCodes.Ok;
    }
}
