using System.CommandLine;
using System.Text;
using System.Text.Json;
using Concordat.Log;
using Concordat.Tiles;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>log export</c>, which writes a workspace's log as one <c>concordat-log-export/v1</c> file, and the offline
/// verification of such a file that <c>log verify --bundle</c> runs with nothing but the file and the log's key.
/// </summary>
internal static class LogExportCommands
{
    // Entries between two progress lines on a terminal.
    private const long ProgressStep = 65_536;

    /// <summary><c>log export</c>.</summary>
    public static Command CreateExport(TextWriter stdout, TextWriter stderr)
    {
        var place = new LogStoreCommands.PlaceOptions();
        var output = new Option<string>("--out") { Description = "The export file to write (docs/formats/log-export.md), replaced only once the export is complete; with --tiles, the folder to write tiles into", Required = true };
        var tiles = new Option<bool>("--tiles") { Description = "Write the log as C2SP tlog-tiles into the folder --out (docs/formats/tiles.md), for any web server to host: new tiles first, the checkpoint last" };
        var json = new Option<bool>("--json") { Description = "Print a summary as one JSON object" };
        var command = new Command("export", "Write the log, up to its latest signed checkpoint, with every checkpoint, the proofs between them and the signed history, as one file that `log verify --bundle` checks offline; or with --tiles as a static tiled log")
        {
            place.Workspace, place.Store, output, tiles, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = Path.GetFullPath(parse.GetValue(output)!);
            return LogStoreCommands.WithStorageAsync(context, place.Read(parse), storage => parse.GetValue(tiles)
                ? ExportTilesAsync(context, storage, path, parse.GetValue(json), cancellationToken)
                : ExportAsync(context, storage, path, parse.GetValue(json), cancellationToken));
        });
        return command;
    }

    /// <summary>Verifies the export at <paramref name="path"/> with the log key given as <paramref name="logKeyText"/>.</summary>
    public static async Task<int> VerifyBundleAsync(CliContext context, string path, string? logKeyText, bool json, CancellationToken cancellationToken)
    {
        var (result, failure) = await TryVerifyAsync(context, path, logKeyText, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return failure;
        }

        if (json)
        {
            context.Out.WriteLine(Summary(path, result, verified: true));
            return ExitCodes.Ok;
        }

        var history = result.IsHistorySigned ? "history matches its signed record" : "history has no signed record (exported from a log from before records)";
        context.Out.WriteLine($"export verified: {result.TreeSize} entries, root {result.RootHash}, {result.Checkpoints} checkpoints consistent, {history}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Verifies the export at <paramref name="path"/> with the log key given as <paramref name="logKeyText"/>; on
    /// failure reports it and gives the exit code (invalid key or file, or 4 when the export does not verify).
    /// </summary>
    public static async Task<(LogExportResult? Result, int Failure)> TryVerifyAsync(CliContext context, string path, string? logKeyText, CancellationToken cancellationToken)
    {
        if (logKeyText is null)
        {
            return (null, context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, "--bundle needs --log-key: the log's verifier key, obtained from the operator", "a key inside the export would vouch for itself: pin the one the operator publishes"));
        }

        if (!KeyFiles.TryReadVerifierKey(logKeyText, out var key, out var keyError))
        {
            return (null, context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, keyError!));
        }

        if (!File.Exists(path))
        {
            return (null, context.Fail(CliErrorCodes.FileUnreadable, $"export `{path}` does not exist"));
        }

        LogExportResult result;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            result = await LogExportVerifier.VerifyAsync(file, key!, cancellationToken).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            return (null, LogStoreCommands.Report(context, result.Problem! with { Message = $"`{path}`: {result.Problem!.Message}" }));
        }

        return (result, ExitCodes.Ok);
    }

    private static async Task<int> ExportAsync(CliContext context, ILogStorage storage, string path, bool json, CancellationToken cancellationToken)
    {
        // The export is written beside its destination and moved into place once complete, so a failed or cancelled
        // export never leaves a file that looks like one.
        var partial = path + ".partial";
        var progress = ProgressOnTerminal(context);
        LogExportResult result;
        try
        {
            var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            await using (file.ConfigureAwait(false))
            {
                result = await LogExport.WriteAsync(storage, file, progress, cancellationToken).ConfigureAwait(false);
            }

            if (result.IsValid)
            {
                File.Move(partial, path, overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return context.Fail(ExitCodes.Error, LogErrorCodes.ExportNotWritten, $"cannot write `{path}`: {ex.Message}");
        }
        finally
        {
            File.Delete(partial);
            if (progress is not null)
            {
                context.Error.WriteLine();
            }
        }

        if (!result.IsValid)
        {
            return LogStoreCommands.Report(context, result.Problem!);
        }

        context.Out.WriteLine(json
            ? Summary(path, result, verified: false)
            : $"exported {result.TreeSize} entries and {result.Checkpoints} checkpoints (root {result.RootHash}) to `{path}`");
        return ExitCodes.Ok;
    }

    private static async Task<int> ExportTilesAsync(CliContext context, ILogStorage storage, string folder, bool json, CancellationToken cancellationToken)
    {
        if (await storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false) is not { } latest)
        {
            return context.Fail(ExitCodes.VerificationFailed, LogErrorCodes.ExportEmpty, "the log has no signed checkpoint: no tile can be served");
        }

        var progress = ProgressOnTerminal(context);
        long written;
        long kept;
        try
        {
            (written, kept) = await WriteTilesAsync(storage, latest, folder, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return LogStoreCommands.Report(context, new LogProblem(LogErrorCodes.HashMissing, ex.Message, null));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return context.Fail(ExitCodes.Error, LogErrorCodes.ExportNotWritten, $"cannot write tiles into `{folder}`: {ex.Message}");
        }
        finally
        {
            if (progress is not null)
            {
                context.Error.WriteLine();
            }
        }

        context.Out.WriteLine(json
            ? JsonSerializer.Serialize(new { folder, treeSize = latest.TreeSize, tilesWritten = written, tilesKept = kept })
            : $"exported the tiles of {latest.TreeSize} entries to `{folder}`: {written} written, {kept} full tiles kept from before");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Writes the log up to <paramref name="latest"/> as C2SP tlog-tiles into <paramref name="folder"/>: tiles first
    /// (full tiles already there kept), the checkpoint last.
    /// </summary>
    /// <returns>The tiles written and the full tiles kept.</returns>
    /// <exception cref="InvalidDataException">A stored hash is missing.</exception>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    internal static async Task<(long Written, long Kept)> WriteTilesAsync(ILogStorage storage, StoredCheckpoint latest, string folder, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long written = 0;
        long kept = 0;
        foreach (var tile in TileLayout.EnumerateTiles(latest.TreeSize))
        {
            // Invariant: a full tile never changes, so one already in the folder (an earlier export of this log) is
            // kept; partial tiles are all written, since the folder's earlier ones may be of other widths.
            var file = Path.Combine(folder, tile.ToPath());
            if (!tile.IsPartial && File.Exists(file))
            {
                kept++;
                continue;
            }

            var bytes = await LogTiles.ReadAsync(storage, tile, latest.TreeSize, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"tile `{tile}` is outside the tree it was listed for");
            await WriteWholeAsync(file, bytes, cancellationToken).ConfigureAwait(false);
            written++;
            progress?.Report(tile.StartEntry);
        }

        // The checkpoint goes last: a reader that sees it finds every tile it needs already in place.
        await WriteWholeAsync(Path.Combine(folder, TileSources.CheckpointName), Encoding.UTF8.GetBytes(latest.Note), cancellationToken).ConfigureAwait(false);
        return (written, kept);
    }

    // Each file appears whole or not at all: written beside its name, then moved into place.
    private static async Task WriteWholeAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        await File.WriteAllBytesAsync(partial, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(partial, path, overwrite: true);
    }

    private static string Summary(string path, LogExportResult result, bool verified) =>
        JsonSerializer.Serialize(new
        {
            file = path,
            verified,
            origin = result.Origin,
            treeSize = result.TreeSize,
            rootHash = result.RootHash?.ToString(),
            checkpoints = result.Checkpoints,
            historySigned = result.IsHistorySigned,
        });

    /// <summary>A progress line on standard error when it is a terminal; none in a pipe, a file or a test.</summary>
    private static TerminalProgress? ProgressOnTerminal(CliContext context) =>
        ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected ? new TerminalProgress(context.Error) : null;

    /// <summary>Rewrites one line of standard error each time another <see cref="ProgressStep"/> entries are written.</summary>
    private sealed class TerminalProgress(TextWriter error) : IProgress<long>
    {
        private long _shown = -1;

        public void Report(long value)
        {
            if (value / ProgressStep != _shown)
            {
                _shown = value / ProgressStep;
                error.Write($"\rexported {value} entries");
            }
        }
    }
}
