using System.Security.Cryptography;
using System.Text.Json;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Storage.Sqlite;

// The crash test's child: opens the SQLite log in the workspace given as the first argument and appends from many
// concurrent appenders until it is killed. Each acknowledged append is written to standard output as
// "<index> <sha256 of the entry bytes>" only after the append task has completed, so every line the parent reads is
// a promise that the entry is durable. It also signs a checkpoint every 20 ms with the signer key in KEY-FILE.
if (args.Length != 3 || !int.TryParse(args[1], out var appenders)
    || !NoteKey.TryParseSignerKey(File.ReadAllText(args[2]).Trim(), out var key, out var keyError))
{
    await Console.Error.WriteLineAsync("usage: Concordat.Log.CrashChild WORKSPACE APPENDERS KEY-FILE");
    return 3;
}

await using var storage = SqliteLogStorage.Open(args[0]);
var options = new TransparencyLogOptions { CheckpointInterval = TimeSpan.FromMilliseconds(20) };
await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, key, options, CancellationToken.None);
var output = Console.Out;
var outputGate = new Lock();
using var ready = JsonDocument.Parse("""{"state":"ready"}""");
var first = await log.AppendAsync("crash-test/v1", ready.RootElement, CancellationToken.None);
lock (outputGate)
{
    output.WriteLine($"{first.Index} ready");
}

await Task.WhenAll(Enumerable.Range(0, appenders).Select(appender => Task.Run(async () =>
{
    for (var n = 0; ; n++)
    {
        using var body = JsonDocument.Parse($$"""{"appender":{{appender}},"n":{{n}},"pad":"{{new string('x', 160)}}"}""");
        var entry = LogEntry.Create("crash-test/v1", TimeProvider.System.GetUtcNow(), body.RootElement);
        var result = await log.AppendAsync(entry, CancellationToken.None);
        if (result.IsPushback)
        {
            await Task.Delay(1);
            continue;
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(entry.CanonicalBytes.Span));
        lock (outputGate)
        {
            output.WriteLine($"{result.Index} {digest}");
        }
    }
})));
return 0;
