using System.CommandLine;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat log monitor --url URL --log-key KEY --state FILE [--token T] [--interval S] [--once]</c>: a partner's
/// <c>log verify --url</c> run every interval, printing each new own entry, until interrupted or the log fails a check.
/// </summary>
internal static class LogMonitorCommand
{
    /// <summary>The default seconds between rounds.</summary>
    public const int DefaultIntervalSeconds = 60;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var url = new Option<string>("--url") { Description = "The log's tlog-tiles prefix (a gateway's is `https://HOST/tlog`) or a folder `log export --tiles` wrote", Required = true };
        var logKey = new Option<string>("--log-key") { Description = "The log's verifier key, inline or as a file, obtained from the operator (never from the log)", Required = true };
        var state = new Option<string>("--state") { Description = "The file keeping the last checkpoint verified and the own entries listed; each round must be consistent with it", Required = true };
        var token = new Option<string?>("--token") { Description = "A recipient's bearer token, inline or as a file: each round proves the entries `/v1/log/mine` lists included, and prints the new ones" };
        var witnessKeys = new Option<string[]>("--witness-key") { Description = "A witness's cosigner verifier key (`concordat key cosigner`); repeat for each witness", AllowMultipleArgumentsPerToken = false };
        var cosignatures = new Option<int?>("--cosignatures") { Description = "How many of the --witness-key witnesses must have cosigned each checkpoint (default: all given)" };
        var interval = new Option<int>("--interval") { Description = "Seconds between rounds", DefaultValueFactory = _ => DefaultIntervalSeconds };
        var once = new Option<bool>("--once") { Description = "Run one round and exit with its code (for scripts and tests)" };
        var full = new Option<bool>("--full") { Description = "Read every tile and entry bundle each round" };
        var command = new Command("monitor", "Verify a served log every interval against the saved state and report new entries about your own access; stops at the first failed check")
        {
            url, logKey, state, token, witnessKeys, cosignatures, interval, once, full,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var seconds = parse.GetValue(interval);
            if (seconds is < 1 or > 86_400)
            {
                return context.Fail(CliErrorCodes.MonitorIntervalInvalid, $"--interval {seconds} is not between 1 and 86400 seconds");
            }

            var request = new LogRemoteVerify.Request(parse.GetValue(url)!, parse.GetValue(logKey), parse.GetValue(witnessKeys) ?? [], parse.GetValue(cosignatures), parse.GetValue(state), parse.GetValue(full), IsJson: false)
            {
                Token = parse.GetValue(token),
                ReportsNewEntries = true,
            };
            return await RunAsync(context, request, TimeSpan.FromSeconds(seconds), parse.GetValue(once), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(CliContext context, LogRemoteVerify.Request request, TimeSpan interval, bool once, CancellationToken cancellationToken)
    {
        while (true)
        {
            var exit = await LogRemoteVerify.RunAsync(context, request, cancellationToken).ConfigureAwait(false);

            // A log that cannot be reached is tried again; a failed check (a fork, a rollback, a hidden entry) or a bad
            // argument ends the monitor: its evidence is in the state file and the message.
            if (once || (exit != ExitCodes.Ok && exit != ExitCodes.Error))
            {
                return exit;
            }

            try
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Ok;
            }
        }
    }
}
