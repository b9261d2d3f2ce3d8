using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Concordat.Log;

/// <summary>
/// Reads the entries of a log export (docs/formats/log-export.md) in log order, for the tools that recompute figures
/// from an exported log (KPIs, privacy budgets, retention, lineage). It checks the shape of each line, not the
/// signatures and proofs: run <see cref="LogExportVerifier"/> (<c>concordat log verify --bundle</c>) for those.
/// </summary>
public static class LogExportEntries
{
    /// <summary>Yields each entry with its index.</summary>
    /// <param name="export">The export, read from its start; left open.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The entries, in log order.</returns>
    /// <exception cref="InvalidDataException">The stream is empty, is not a log export, or a line is malformed; the message names the line.</exception>
    public static async IAsyncEnumerable<(long Index, LogEntry Entry)> ReadAsync(Stream export, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        using var reader = new StreamReader(export, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        var number = 0L;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (Read(line, number) is { } entry)
            {
                yield return entry;
            }
        }

        if (number == 0)
        {
            throw new InvalidDataException("the export is empty");
        }
    }

    private static (long Index, LogEntry Entry)? Read(string line, long number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (number == 1 && (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != LogExport.FormatName))
            {
                throw new InvalidDataException($"line 1 names no `{LogExport.FormatName}`: not a log export");
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entry", out var entry) || !root.TryGetProperty("index", out var index))
            {
                return null;
            }

            if (entry.ValueKind != JsonValueKind.String || !index.TryGetInt64(out var at) || !LogEntry.TryParse(entry.GetBytesFromBase64(), out var parsed, out _))
            {
                throw new InvalidDataException($"line {number}: the entry is not a base64 log entry with its index");
            }

            return (at, parsed);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidDataException($"line {number}: not a line of a log export", e);
        }
    }
}
