using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// One import in progress: checks source rows against the schema and writes them, normalised, to the rows file.
/// </summary>
/// <remarks>
/// Every stored row is one line: a JSON array with one value per schema field, in schema order (see
/// docs/formats/datasets.md). Diagnostics never quote a value, only where it is: values may be personal data.
/// </remarks>
internal sealed class DatasetImport : IDisposable
{
    /// <summary>The most diagnostics one import reports before it stops.</summary>
    public const int MaxDiagnostics = 100;

    /// <summary>The longest NDJSON line accepted, in bytes.</summary>
    public const int MaxLineLength = 1024 * 1024;

    private readonly IReadOnlyList<DatasetSchemaField> _schema;
    private readonly byte[][] _names;
    private readonly Stream _output;
    private readonly IncrementalHash _rowsHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<Diagnostic> _diagnostics = [];
    private byte[] _line = ArrayPool<byte>.Shared.Rent(4096);
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(4096);
    private int _lineLength;

    public DatasetImport(IReadOnlyList<DatasetSchemaField> schema, Stream output)
    {
        _schema = schema;
        _names = [.. schema.Select(f => Encoding.UTF8.GetBytes(f.Name.Value))];
        _output = output;
    }

    /// <summary>Gets every problem found so far.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Gets a value indicating whether any error was found.</summary>
    public bool HasErrors => _diagnostics.Count > 0;

    /// <summary>Gets the number of rows written.</summary>
    public long RowCount { get; private set; }

    /// <summary>Returns the SHA-256 of every byte written to the rows file.</summary>
    public Sha256Digest GetRowsDigest() => Sha256Digest.FromBytes(_rowsHash.GetHashAndReset());

    /// <summary>Reads one source to its end, writing its rows; returns what the manifest records about it.</summary>
    public async Task<DatasetSourceRecord> ImportAsync(DatasetSource source, CancellationToken cancellationToken)
    {
        using var sourceHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        void OnRead(ReadOnlySpan<byte> chunk)
        {
            sourceHash.AppendData(chunk);
            bytes += chunk.Length;
        }

        var rowsBefore = RowCount;
        if (source.Format == RowFormat.Csv)
        {
            await ImportCsvAsync(source.Name, source.Content, OnRead, cancellationToken);
        }
        else
        {
            await ImportNdjsonAsync(source.Name, source.Content, OnRead, cancellationToken);
        }

        // Invariant: the source's digest covers every byte of it, even those after an error stopped the checks.
        var drain = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await source.Content.ReadAsync(drain.AsMemory(), cancellationToken)) > 0)
            {
                OnRead(drain.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(drain);
        }

        return new DatasetSourceRecord(source.Name, source.Format, Sha256Digest.FromBytes(sourceHash.GetHashAndReset()), bytes, RowCount - rowsBefore);
    }

    /// <summary>Records a problem found outside the rows.</summary>
    public void Report(Diagnostic diagnostic) => _diagnostics.Add(diagnostic);

    public void Dispose()
    {
        _rowsHash.Dispose();
        ArrayPool<byte>.Shared.Return(_line);
        ArrayPool<byte>.Shared.Return(_scratch);
        _line = [];
        _scratch = [];
    }

    private async Task ImportCsvAsync(string name, Stream content, Action<ReadOnlySpan<byte>> onRead, CancellationToken cancellationToken)
    {
        using var reader = new CsvRecordReader(content, onRead);
        if (!await reader.ReadAsync(cancellationToken))
        {
            if (reader.SyntaxError is null)
            {
                Error(DatasetErrorCodes.MissingHeader, $"`{name}` has no header record", Span(name, 1, 1), "start the file with a record naming the fields");
            }
            else
            {
                ReportSyntax(name, reader);
            }

            return;
        }

        var columns = MapHeader(name, reader);
        if (columns is null)
        {
            return;
        }

        long row = 0;
        while (!IsFull && await reader.ReadAsync(cancellationToken))
        {
            row++;
            if (reader.FieldCount != columns.Length)
            {
                Error(
                    DatasetErrorCodes.RaggedRow,
                    $"row {row} of `{name}` has {reader.FieldCount} fields but the header has {columns.Length}",
                    Span(name, reader.Line, 1),
                    "give every record as many fields as the header; quote fields that hold commas");
                continue;
            }

            if (WriteCsvRow(name, row, reader, columns))
            {
                await WriteLineAsync(cancellationToken);
            }
        }

        ReportSyntax(name, reader);
    }

    private bool WriteCsvRow(string name, long row, CsvRecordReader reader, int[] columns)
    {
        var values = new ValueRef[_schema.Count];
        var ok = true;
        for (var i = 0; i < columns.Length; i++)
        {
            var field = reader.GetField(i);
            var index = columns[i];
            if (!Utf8.IsValid(field))
            {
                ok = Error(
                    DatasetErrorCodes.InvalidEncoding,
                    $"row {row} of `{name}`: column `{_schema[index].Name}` is not valid UTF-8",
                    Span(name, reader.Line, reader.GetFieldColumn(i)));
                continue;
            }

            var kind = field.IsEmpty && _schema[index].Type != FieldType.String ? SourceValueKind.Null : SourceValueKind.Text;
            values[index] = new ValueRef(kind, i, 0, field.Length);
        }

        return ok && WriteRow(name, row, reader.Line, "column", values, i => reader.GetField(i), i => reader.GetFieldColumn(i));
    }

    private int[]? MapHeader(string name, CsvRecordReader reader)
    {
        var columns = new int[reader.FieldCount];
        var seen = new bool[_schema.Count];
        var ok = true;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var header = reader.GetField(i);
            var span = Span(name, reader.Line, reader.GetFieldColumn(i));
            var index = IndexOfName(header);
            if (index < 0)
            {
                var shown = Utf8.IsValid(header) ? Encoding.UTF8.GetString(header) : "?";
                ok = Error(DatasetErrorCodes.UnknownColumn, $"`{name}` has a column `{shown}` the dataset's schema lacks", span, "remove the column or declare the field in the agreement");
                continue;
            }

            if (seen[index])
            {
                ok = Error(DatasetErrorCodes.DuplicateColumn, $"`{name}` names the column `{_schema[index].Name}` twice", span);
                continue;
            }

            seen[index] = true;
            columns[i] = index;
        }

        for (var f = 0; f < seen.Length; f++)
        {
            if (!seen[f])
            {
                ok = Error(DatasetErrorCodes.MissingColumn, $"`{name}` lacks the column `{_schema[f].Name}`", Span(name, reader.Line, 1), "add the column to the header and to every record");
            }
        }

        return ok ? columns : null;
    }

    private void ReportSyntax(string name, CsvRecordReader reader)
    {
        if (reader.SyntaxError is not null)
        {
            Error(DatasetErrorCodes.CsvSyntax, $"`{name}` is not RFC 4180 CSV: {reader.SyntaxError}", Span(name, reader.SyntaxErrorLine, reader.SyntaxErrorColumn));
        }
    }

    private async Task ImportNdjsonAsync(string name, Stream content, Action<ReadOnlySpan<byte>> onRead, CancellationToken cancellationToken)
    {
        using var reader = new Utf8LineReader(content, MaxLineLength, onRead);
        long row = 0;
        while (!IsFull && await reader.ReadAsync(cancellationToken))
        {
            if (reader.Line.IsEmpty)
            {
                continue;
            }

            row++;
            if (ParseNdjsonRow(name, row, reader.LineNumber, reader.Line))
            {
                await WriteLineAsync(cancellationToken);
            }
        }

        if (reader.IsLineTooLong)
        {
            Error(DatasetErrorCodes.NdjsonSyntax, $"line {reader.LineNumber} of `{name}` is longer than {MaxLineLength} bytes", Span(name, reader.LineNumber, 1));
        }
    }

    private bool ParseNdjsonRow(string name, long row, long lineNumber, ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
        {
            var validPrefix = FirstInvalidUtf8(line);
            return Error(
                DatasetErrorCodes.InvalidEncoding,
                $"row {row} of `{name}` is not valid UTF-8",
                Span(name, lineNumber, CharacterColumn(line[..validPrefix])));
        }

        EnsureScratch(line.Length);
        var values = new ValueRef[_schema.Count];
        var seen = new bool[_schema.Count];
        var scratchAt = 0;
        var ok = true;
        try
        {
            var json = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return Error(DatasetErrorCodes.NdjsonSyntax, $"row {row} of `{name}` is not a JSON object", Span(name, lineNumber, 1));
            }

            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var column = CharacterColumn(line[..(int)json.TokenStartIndex]);
                var index = -1;
                for (var n = 0; n < _names.Length && index < 0; n++)
                {
                    index = json.ValueTextEquals(_names[n]) ? n : -1;
                }

                if (index < 0)
                {
                    ok = Error(DatasetErrorCodes.UnknownColumn, $"row {row} of `{name}` has a field `{json.GetString()}` the dataset's schema lacks", Span(name, lineNumber, column), "remove the field or declare it in the agreement");
                    json.Read();
                    json.TrySkip();
                    continue;
                }

                if (seen[index])
                {
                    ok = Error(DatasetErrorCodes.DuplicateColumn, $"row {row} of `{name}` names the field `{_schema[index].Name}` twice", Span(name, lineNumber, column));
                }

                seen[index] = true;
                json.Read();
                switch (json.TokenType)
                {
                    case JsonTokenType.Null:
                        values[index] = new ValueRef(SourceValueKind.Null, -1, 0, 0);
                        break;
                    case JsonTokenType.String:
                        var length = json.CopyString(_scratch.AsSpan(scratchAt));
                        values[index] = new ValueRef(SourceValueKind.JsonString, -1, scratchAt, length);
                        scratchAt += length;
                        break;
                    case JsonTokenType.Number:
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        json.ValueSpan.CopyTo(_scratch.AsSpan(scratchAt));
                        var kind = json.TokenType == JsonTokenType.Number ? SourceValueKind.Number : SourceValueKind.Boolean;
                        values[index] = new ValueRef(kind, -1, scratchAt, json.ValueSpan.Length);
                        scratchAt += json.ValueSpan.Length;
                        break;
                    default:
                        json.TrySkip();
                        ok = Error(DatasetErrorCodes.TypeMismatch, $"row {row} of `{name}`: field `{_schema[index].Name}` is not {DescribeType(_schema[index].Type)}", Span(name, lineNumber, column));
                        break;
                }
            }

            if (json.TokenType != JsonTokenType.EndObject || json.Read())
            {
                return Error(DatasetErrorCodes.NdjsonSyntax, $"row {row} of `{name}` is not one JSON object", Span(name, lineNumber, 1));
            }
        }
        catch (JsonException e)
        {
            return Error(DatasetErrorCodes.NdjsonSyntax, $"row {row} of `{name}` is not valid JSON", Span(name, lineNumber, (int)(e.BytePositionInLine ?? 0) + 1));
        }

        for (var f = 0; f < seen.Length; f++)
        {
            if (!seen[f])
            {
                ok = Error(DatasetErrorCodes.MissingColumn, $"row {row} of `{name}` lacks the field `{_schema[f].Name}`", Span(name, lineNumber, 1), "write every field; use null for a missing value");
            }
        }

        return ok && WriteRow(name, row, lineNumber, "field", values, _ => _scratch, _ => 1);
    }

    // Writes "[v1,v2,...]\n" into _line; values index their source bytes through getSource.
    private bool WriteRow(string name, long row, long lineNumber, string noun, ValueRef[] values, Func<int, ReadOnlySpan<byte>> getSource, Func<int, int> getColumn)
    {
        var capacity = 2;
        for (var f = 0; f < values.Length; f++)
        {
            capacity += FieldValueNormaliser.MaxNormalisedLength(values[f].Length) + 1;
        }

        if (_line.Length < capacity)
        {
            ArrayPool<byte>.Shared.Return(_line);
            _line = ArrayPool<byte>.Shared.Rent(capacity);
        }

        var line = _line.AsSpan();
        line[0] = (byte)'[';
        var at = 1;
        var ok = true;
        for (var f = 0; f < values.Length; f++)
        {
            if (f > 0)
            {
                line[at++] = (byte)',';
            }

            var value = values[f];
            var bytes = value.Kind == SourceValueKind.Null ? default : getSource(value.Source).Slice(value.Start, value.Length);
            var expected = FieldValueNormaliser.TryNormalise(_schema[f].Type, value.Kind, bytes, line[at..], out var written);
            if (expected is not null)
            {
                ok = Error(
                    DatasetErrorCodes.TypeMismatch,
                    $"row {row} of `{name}`: {noun} `{_schema[f].Name}` is not {expected}",
                    Span(name, lineNumber, value.Source >= 0 ? getColumn(value.Source) : 1),
                    $"the schema declares `{_schema[f].Name}` as {DatasetManifest.TypeName(_schema[f].Type)}");
                continue;
            }

            at += written;
        }

        line[at++] = (byte)']';
        line[at++] = (byte)'\n';
        _lineLength = at;
        return ok;
    }

    private async ValueTask WriteLineAsync(CancellationToken cancellationToken)
    {
        if (HasErrors)
        {
            // Invariant: once the import has failed, nothing more is written; the checks go on to report every error.
            return;
        }

        _rowsHash.AppendData(_line, 0, _lineLength);
        await _output.WriteAsync(_line.AsMemory(0, _lineLength), cancellationToken);
        RowCount++;
    }

    private int IndexOfName(ReadOnlySpan<byte> name)
    {
        for (var n = 0; n < _names.Length; n++)
        {
            if (name.SequenceEqual(_names[n]))
            {
                return n;
            }
        }

        return -1;
    }

    private bool IsFull => _diagnostics.Count >= MaxDiagnostics;

    private bool Error(ErrorCode code, string message, SourceSpan span, string? help = null)
    {
        if (_diagnostics.Count < MaxDiagnostics)
        {
            _diagnostics.Add(code.Error(message, span, help));
            if (_diagnostics.Count == MaxDiagnostics)
            {
                _diagnostics.Add(DatasetErrorCodes.TooManyErrors.Error($"the import stopped after {MaxDiagnostics} errors", null, "fix these and import again"));
            }
        }

        return false;
    }

    private void EnsureScratch(int length)
    {
        if (_scratch.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    private static string DescribeType(FieldType type) => type switch
    {
        FieldType.Integer => "an integer",
        FieldType.Decimal => "a decimal number",
        FieldType.Boolean => "`true` or `false`",
        _ => "text",
    };

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
    {
        var at = 0;
        while (at < line.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(line[at..], out _, out var consumed);
            if (status != OperationStatus.Done)
            {
                return at;
            }

            at += consumed;
        }

        return at;
    }

    private static int CharacterColumn(ReadOnlySpan<byte> prefix)
    {
        var column = 1;
        foreach (var b in prefix)
        {
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return column;
    }

    private static SourceSpan Span(string file, long line, int column) =>
        new(file, (int)Math.Min(line, int.MaxValue), column, (int)Math.Min(line, int.MaxValue), column);

    // Where one value's bytes are: in source field Source (CSV) or in the scratch buffer (NDJSON, Source = -1).
    private readonly record struct ValueRef(SourceValueKind Kind, int Source, int Start, int Length);
}
