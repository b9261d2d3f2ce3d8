using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Lineage;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat lineage impact|show</c>: the lineage graph rebuilt from a workspace's log or an exported one, the
/// models' attestations and the agreements; what a dataset version touches, and where a model, an egress or a dataset
/// version came from (<c>upstream</c> is the older name of <c>show</c>, kept as an alias).
/// </summary>
internal static class LineageCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("lineage", "Rebuild the lineage graph from the log: what a dataset version touches, where a model came from")
        {
            CreateImpact(stdout, stderr),
            CreateShow(stdout, stderr),
        };

    private static Command CreateImpact(TextWriter stdout, TextWriter stderr)
    {
        var sources = new Sources();
        var subject = new Argument<string>("DATASET@VERSION") { Description = "The dataset version, such as `cardiology-records@3`" };
        var openLineage = new Option<bool>("--openlineage") { Description = "Print the impact as OpenLineage run events, one JSON object a line" };
        var command = new Command("impact", "Every egress, recipient, token, agreement (with its contacts and breach deadline) and model touched by a dataset version") { subject, openLineage };
        sources.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var text = parse.GetValue(subject)!;
            if (!LineageGraph.TryParseDatasetVersion(text, out var dataset, out var version))
            {
                return Task.FromResult(context.Fail(CliErrorCodes.LineageSubjectInvalid, $"`{text}` is not `dataset@version` with a version from 1"));
            }

            return sources.RunAsync(context, parse, (graph, agreements) =>
            {
                var impact = graph.Impact(dataset, version, agreements);
                if (parse.GetValue(openLineage))
                {
                    foreach (var runEvent in LineageOpenLineage.RunEvents(impact))
                    {
                        context.Out.WriteLine(runEvent.ToJsonString(s_json));
                    }

                    return ExitCodes.Ok;
                }

                if (parse.GetValue(sources.Json))
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(impact, s_json));
                    return ExitCodes.Ok;
                }

                WriteImpact(context.Out, impact);
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static Command CreateShow(TextWriter stdout, TextWriter stderr)
    {
        var sources = new Sources();
        var subject = new Argument<string>("MODEL|DECISION-ID|DATASET@VERSION") { Description = "A model's name (from --model), an egress decision id or a dataset version" };
        var command = new Command("show", "Where a model, an egress or a dataset version came from, under which terms, as a tree") { subject };
        command.Aliases.Add("upstream");
        sources.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var name = parse.GetValue(subject)!;
            return sources.RunAsync(context, parse, (graph, _) =>
            {
                if (graph.Upstream(name) is not { } tree)
                {
                    return context.Fail(CliErrorCodes.LineageSubjectUnknown, $"`{name}` is neither a model given with --model, an egress nor a dataset version the log holds (as of tree size {graph.TreeSize})");
                }

                if (parse.GetValue(sources.Json))
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(tree, s_json));
                    return ExitCodes.Ok;
                }

                WriteTree(context.Out, tree, string.Empty, string.Empty);
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static void WriteImpact(TextWriter writer, LineageImpact impact)
    {
        var header = impact.DatasetVersion is { } version
            ? $"{impact.Subject} (manifest {version.Manifest}, {version.Rows} rows, imported {Core.Rfc3339.Format(version.ImportedAt)})"
            : $"{impact.Subject} (no import in the log)";
        writer.WriteLine($"{header}, as of tree size {impact.TreeSize}");
        writer.WriteLine($"  egress: {impact.Egress.Count}, recipients: {impact.Recipients.Count}, tokens: {impact.Tokens.Count}, models: {impact.Models.Count}");
        foreach (var egress in impact.Egress)
        {
            writer.WriteLine($"  ├─ egress {egress.DecisionId} → {egress.Recipient} (token {egress.TokenId}, {egress.Rows} rows{(egress.IsComplete ? string.Empty : ", stopped")}, {Core.Rfc3339.Format(egress.At)}, purpose {egress.Purpose ?? "unknown"})");
            foreach (var model in impact.Models.Where(m => m.Via == egress.DecisionId))
            {
                WriteModel(writer, impact, model, "  │  ");
            }
        }

        foreach (var model in impact.Models.Where(m => m.Via == impact.Subject))
        {
            WriteModel(writer, impact, model, "  ");
        }

        foreach (var terms in impact.Agreements)
        {
            var deadline = terms.BreachNotificationHours is { } hours ? $"notify within {hours.ToString(CultureInfo.InvariantCulture)} h" : "no deadline known";
            var contacts = terms.Contacts.Count == 0 ? "no contacts known" : string.Join("; ", terms.Contacts);
            writer.WriteLine($"  agreement {terms.Agreement.Id} v{terms.Agreement.Version} ({terms.Agreement.Digest}): {deadline}; {contacts}");
        }
    }

    private static void WriteModel(TextWriter writer, LineageImpact impact, LineageTouchedModel model, string indent)
    {
        writer.WriteLine($"{indent}└─ model {model.Model.Name} (trainer {model.Model.Trainer}, purpose {model.Model.Purpose})");
        foreach (var downstream in impact.Models.Where(m => m.Via == model.Model.Name))
        {
            WriteModel(writer, impact, downstream, indent + "   ");
        }
    }

    private static void WriteTree(TextWriter writer, LineageTreeNode node, string indent, string branch)
    {
        var facts = string.Join(", ", node.Facts.Select(f => $"{f.Key} {f.Value}"));
        writer.WriteLine($"{indent}{branch}{node.Kind} {node.Name}{(facts.Length == 0 ? string.Empty : $" ({facts})")}");
        var childIndent = indent + (branch.Length == 0 ? string.Empty : branch == "└─ " ? "   " : "│  ");
        for (var i = 0; i < node.Children.Count; i++)
        {
            WriteTree(writer, node.Children[i], childIndent, i == node.Children.Count - 1 ? "└─ " : "├─ ");
        }
    }

    /// <summary>The entries read into the graph, below <c>--as-of</c>'s tree size when given, and the tree they make, to hold against the checkpoint.</summary>
    private sealed record LogRead(LineageGraphBuilder Builder, long? AsOf, CompactMerkleTree? Tree)
    {
        public void Add(long index, ReadOnlyMemory<byte> stored)
        {
            // Spec: RFC 6962 §2.1 — the tree's leaves are the stored entries in index order.
            Tree?.Append(MerkleHash.OfLeaf(stored.Span));
            Builder.Add(index, stored);
        }
    }

    /// <summary>Where the graph comes from, the same for every lineage verb: the log (a workspace's or an export), the models, the agreements, <c>--as-of</c>.</summary>
    private sealed class Sources
    {
        private readonly LogStoreCommands.PlaceOptions _place = new(workspaceRequired: false);

        public Option<string?> Export { get; } = new("--log") { Description = "An exported log (`log export`) to read instead of a workspace's" };

        public Option<string?> LogKey { get; } = new("--log-key") { Description = "The log's verifier key (inline or a file); required with --log and --as-of, read from the workspace's log.pub otherwise" };

        public Option<string[]> Models { get; } = new("--model") { Description = "A model's attestation (`model register`); repeatable", Arity = ArgumentArity.ZeroOrMore };

        public Option<string[]> Trust { get; } = new("--trust") { Description = "A verifier key the models are signed with; repeatable", Arity = ArgumentArity.ZeroOrMore };

        public Option<string[]> Agreements { get; } = new("--agreement") { Description = "An agreement the log names by digest (YAML), for its contacts and deadlines; repeatable", Arity = ArgumentArity.ZeroOrMore };

        public Option<string?> AsOf { get; } = new("--as-of") { Description = "A signed checkpoint file: answer as of its tree size" };

        public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document" };

        public void AddTo(Command command)
        {
            command.Options.Add(_place.Workspace);
            command.Options.Add(_place.Store);
            foreach (var option in new Option[] { Export, LogKey, Models, Trust, Agreements, AsOf, Json })
            {
                command.Options.Add(option);
            }
        }

        public async Task<int> RunAsync(CliContext context, ParseResult parse, Func<LineageGraph, IReadOnlyList<Agreement>, int> answer, CancellationToken cancellationToken)
        {
            var export = parse.GetValue(Export);
            var place = _place.Read(parse);
            if ((export is null) == (place.Workspace.Length == 0))
            {
                return context.Fail(CliErrorCodes.LineageSourceMissing, "give the log to read: --workspace, or --log with an exported log");
            }

            var agreements = new List<Agreement>();
            foreach (var path in parse.GetValue(Agreements) ?? [])
            {
                if (AgreementFiles.Load(context, path, out var exit) is not { } agreement)
                {
                    return exit;
                }

                agreements.Add(agreement);
            }

            var builder = new LineageGraphBuilder();
            if (parse.GetValue(Models) is { Length: > 0 } models && await AddModelsAsync(context, parse, builder, models).ConfigureAwait(false) is { } modelExit)
            {
                return modelExit;
            }

            var keyText = parse.GetValue(LogKey) ?? (export is null ? Path.Combine(place.Workspace, "log.pub") : null);
            NoteVerifierKey? logKey = null;
            if (keyText is not null && !KeyFiles.TryReadVerifierKey(keyText, out logKey, out var keyError))
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, keyError!);
            }

            Checkpoint? asOf = null;
            var checkpointPath = parse.GetValue(AsOf);
            if (checkpointPath is not null)
            {
                if (logKey is null)
                {
                    return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, "--as-of needs --log-key: the log's verifier key, to check the checkpoint's signature");
                }

                if (!CliInput.TryReadAll(context, checkpointPath, out var note))
                {
                    return ExitCodes.Error;
                }

                if (!Checkpoint.TryOpen(note, [NoteVerifier.ForEd25519(logKey)], out var checkpoint, out var verification))
                {
                    return context.Fail(CliErrorCodes.LineageCheckpointInvalid, $"`--as-of`: `{checkpointPath}` is not a checkpoint signed by the log's key: {verification.Reason}");
                }

                asOf = checkpoint;
            }

            // Security: the checkpoint's signature says only that the log's key signed some tree of that size; the
            // entries read must be that tree (its size, its root hash), or the answer would claim a checkpoint it is not of.
            var read = new LogRead(builder, asOf?.TreeSize, asOf is null && export is null ? null : new CompactMerkleTree());
            int? readExit = export is null
                ? await LogStoreCommands.WithStorageAsync(context, place, storage => ReadStorageAsync(storage, read, cancellationToken)).ConfigureAwait(false)
                : await ReadExportAsync(context, export, logKey, read, cancellationToken).ConfigureAwait(false);
            if (readExit is not ExitCodes.Ok)
            {
                return readExit.Value;
            }

            if (asOf is not null && read.Tree is { } tree && (tree.Size != asOf.TreeSize || tree.ComputeRoot() != asOf.RootHash))
            {
                return context.Fail(CliErrorCodes.LineageCheckpointInvalid, tree.Size < asOf.TreeSize
                    ? $"`--as-of`: `{checkpointPath}` is of tree size {asOf.TreeSize}, but the log holds {tree.Size} entries"
                    : $"`--as-of`: `{checkpointPath}` is not a checkpoint of this log: its first {asOf.TreeSize} entries hash to another root");
            }

            return answer(builder.Build(), agreements);
        }

        private async Task<int?> AddModelsAsync(CliContext context, ParseResult parse, LineageGraphBuilder builder, string[] models)
        {
            if (!KeyFiles.TryLoadDsseKeys(context, parse.GetValue(Trust) ?? [], out var trusted, out var exit))
            {
                return exit;
            }

            foreach (var path in models)
            {
                if (!CliInput.TryReadAll(context, path, out var envelope))
                {
                    return ExitCodes.Error;
                }

                var verified = Attestation.Verify(envelope, trusted, AttestationPredicateTypes.Model);
                if (!verified.IsVerified)
                {
                    context.WriteDiagnostics([verified.Error! with { Message = $"model `{path}`: {verified.Error!.Message}" }]);
                    return ExitCodes.VerificationFailed;
                }

                // The envelope's digest ties a gateway's model to its log entry, so `--as-of` leaves out models logged later.
                builder.AddModel(verified.Statement!, Core.Sha256Digest.Compute(envelope));
            }

            await Task.CompletedTask.ConfigureAwait(false);
            return null;
        }

        private static async Task<int> ReadStorageAsync(ILogStorage storage, LogRead read, CancellationToken cancellationToken)
        {
            const int Page = 4096;
            var size = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
            var end = Math.Min(size, read.AsOf ?? size);
            for (var next = 0L; next < end;)
            {
                var batch = await storage.ReadEntriesAsync(next, (int)Math.Min(Page, end - next), cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var (index, bytes) in batch)
                {
                    next = index + 1;
                    read.Add(index, bytes);
                }
            }

            return ExitCodes.Ok;
        }

        private static async Task<int> ReadExportAsync(CliContext context, string path, NoteVerifierKey? logKey, LogRead read, CancellationToken cancellationToken)
        {
            if (logKey is null)
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, "--log needs --log-key: the log's verifier key, obtained from the operator", "a key inside the export would vouch for itself: pin the one the operator publishes");
            }

            if (CliPaths.FileProblem(path) is { } problem)
            {
                return context.Fail(CliErrorCodes.FileUnreadable, problem);
            }

            // Security: the export is verified whole (checkpoints, proofs, its own digest) before any entry of it is believed.
            LogExportResult verified;
            await using (var file = File.OpenRead(path))
            {
                verified = await LogExportVerifier.VerifyAsync(file, logKey, cancellationToken).ConfigureAwait(false);
                if (!verified.IsValid)
                {
                    return LogStoreCommands.Report(context, verified.Problem! with { Message = $"`{path}`: {verified.Problem!.Message}" });
                }
            }

            // Why bytes: an export of a large log is read line by line without a string, a document or an array per
            // entry, and the builder parses only the entries the graph reads.
            await using var lines = File.OpenRead(path);
            var buffer = new byte[1 << 16];
            var entry = new byte[LogEntry.MaxSize];
            var (start, end) = (0, 0);
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    if (!ReadExportLine(buffer.AsSpan(start, newline), entry, read))
                    {
                        break;
                    }

                    start += newline + 1;
                    continue;
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                (end, start) = (end - start, 0);
                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var count = await lines.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    ReadExportLine(buffer.AsSpan(0, end), entry, read);
                    break;
                }

                end += count;
            }

            // Security: the file is read a second time; the entries read must be the tree verified, or it changed between.
            if (read.AsOf is null && read.Tree is { } tree && (tree.Size != verified.TreeSize || tree.ComputeRoot() != verified.RootHash))
            {
                return context.Fail(ExitCodes.VerificationFailed, LogErrorCodes.ExportNotVerified, $"`{path}`: its entries changed after it was verified: read it again");
            }

            return ExitCodes.Ok;
        }

        // Spec: docs/formats/log-export.md — an entry line is {"index","entry"} (base64 of the stored bytes); other
        // lines (the header, checkpoints, proofs) are read past. Returns false once the line is at or past --as-of.
        private static bool ReadExportLine(ReadOnlySpan<byte> line, byte[] entry, LogRead read)
        {
            if (line.IsEmpty)
            {
                return true;
            }

            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return true;
            }

            long? index = null;
            ReadOnlyMemory<byte>? stored = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("index"u8) ? "index" : reader.ValueTextEquals("entry"u8) ? "entry" : null;
                reader.Read();
                if (name == "index" && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
                {
                    index = number;
                }
                else if (name == "entry" && reader.TokenType == JsonTokenType.String)
                {
                    // An escaped value (a JSON writer may write `+` as \u002B) or one too long for the buffer is decoded the slow way.
                    stored = !reader.ValueIsEscaped && System.Buffers.Text.Base64.DecodeFromUtf8(reader.ValueSpan, entry, out _, out var written) == System.Buffers.OperationStatus.Done
                        ? entry.AsMemory(0, written)
                        : reader.GetBytesFromBase64();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (index is not { } at || stored is not { } bytes)
            {
                return true;
            }

            if (at >= (read.AsOf ?? long.MaxValue))
            {
                return false;
            }

            read.Add(at, bytes);
            return true;
        }
    }
}
