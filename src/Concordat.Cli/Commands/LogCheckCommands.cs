using System.Buffers;
using System.CommandLine;
using System.Globalization;
using Concordat.Core;
using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Cli.Commands;

/// <summary>
/// Tools for people who check logs by hand, from values given to them: <c>log root</c>, <c>log check-inclusion</c>
/// and <c>log check-consistency</c>. Exit 0 when the check holds, 4 when it does not, 3 on malformed input.
/// </summary>
internal static class LogCheckCommands
{
    private static readonly SearchValues<byte> s_lowercaseHex = SearchValues.Create("0123456789abcdef"u8);

    /// <summary><c>log root</c>.</summary>
    public static Command CreateRoot(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string?>("FILE") { Description = "Leaves, one line of lowercase hex each; standard input when omitted or `-`", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("root", "Print the RFC 6962 root hash of a list of leaves") { file };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file);
            if (!CliInput.TryReadAll(context, path, out var input))
            {
                return ExitCodes.Error;
            }

            return PrintRoot(context, CliInput.DisplayName(path), input);
        });
        return command;
    }

    private static int PrintRoot(CliContext context, string source, byte[] input)
    {
        var tree = new CompactMerkleTree();
        if (input.Length > 0 && input[^1] != (byte)'\n')
        {
            var lastLine = input.AsSpan().Count((byte)'\n') + 1;
            return Malformed(context, LogErrorCodes.LeafLineMalformed, $"line {lastLine} does not end with a newline", new SourceSpan(source, lastLine, 1, lastLine, 1),
                "end every leaf line, including the last, with a newline");
        }

        var line = 0;
        var rest = input.AsSpan();
        while (!rest.IsEmpty)
        {
            line++;
            var end = rest.IndexOf((byte)'\n');
            var hex = rest[..end];
            rest = rest[(end + 1)..];
            var bad = hex.IndexOfAnyExcept(s_lowercaseHex);
            if (bad >= 0 || hex.Length % 2 != 0)
            {
                var column = bad >= 0 ? bad + 1 : hex.Length;
                return Malformed(context, LogErrorCodes.LeafLineMalformed, $"line {line} is not lowercase hex with an even number of digits", new SourceSpan(source, line, column, line, column),
                    "write each leaf as lowercase hex, two digits per byte; an empty line is the empty leaf");
            }

            tree.Append(MerkleHash.OfLeaf(Convert.FromHexString(hex)));
        }

        context.Out.WriteLine(tree.ComputeRoot().ToString());
        return ExitCodes.Ok;
    }

    /// <summary><c>log check-inclusion</c>.</summary>
    public static Command CreateCheckInclusion(TextWriter stdout, TextWriter stderr)
    {
        var leafHash = new Option<string>("--leaf-hash") { Description = "The RFC 6962 leaf hash, 64 hex digits or base64 (as the HTTP API serves it)" };
        var entry = new Option<string?>("--entry") { Description = "Instead of --leaf-hash: a file holding the entry's exact bytes (`-` for standard input), whose leaf hash is computed" };
        var index = new Option<string>("--index") { Description = "The leaf index, from 0" };
        var size = new Option<string>("--size") { Description = "The tree size" };
        var root = new Option<string>("--root") { Description = "The root hash of the tree, 64 hex digits or base64" };
        var proof = new Option<string>("--proof") { Description = "The proof hashes (hex or base64), comma-separated, bottom-up; empty (or no value) for a one-leaf tree", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("check-inclusion", "Check an RFC 9162 inclusion proof: is the leaf in the tree with this root?") { leafHash, entry, index, size, root, proof };
        SetProofAction(command, stdout, stderr, options =>
        {
            var leaf = options.LeafHash(leafHash, entry);
            var leafIndex = options.Number(index);
            var treeSize = options.Number(size);
            var rootHash = options.Hash(root);
            var hashes = options.Proof(proof);
            return options.IsValid
                ? Report(options.Context, MerkleProofVerifier.VerifyInclusion(leaf, leafIndex, treeSize, hashes, rootHash), LogErrorCodes.InclusionProofFailed, $"inclusion proof holds: leaf {leafIndex} is in the tree of size {treeSize} with root {rootHash}")
                : options.Exit;
        });
        return command;
    }

    /// <summary><c>log check-consistency</c>.</summary>
    public static Command CreateCheckConsistency(TextWriter stdout, TextWriter stderr)
    {
        var size1 = new Option<string>("--size1") { Description = "The older tree size" };
        var size2 = new Option<string>("--size2") { Description = "The newer tree size" };
        var root1 = new Option<string>("--root1") { Description = "The older root hash, 64 hex digits or base64" };
        var root2 = new Option<string>("--root2") { Description = "The newer root hash, 64 hex digits or base64" };
        var proof = new Option<string>("--proof") { Description = "The proof hashes (hex or base64), comma-separated; empty (or no value) when size1 equals size2 (size1 0 is refused: a proof from the empty tree proves nothing)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("check-consistency", "Check an RFC 9162 consistency proof: does the newer tree extend the older one?") { size1, size2, root1, root2, proof };
        SetProofAction(command, stdout, stderr, options =>
        {
            var oldSize = options.Number(size1);
            var newSize = options.Number(size2);
            var oldRoot = options.Hash(root1);
            var newRoot = options.Hash(root2);
            var hashes = options.Proof(proof);
            return options.IsValid
                ? Report(options.Context, MerkleProofVerifier.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, hashes), LogErrorCodes.ConsistencyProofFailed, $"consistency proof holds: the tree of size {newSize} extends the tree of size {oldSize}")
                : options.Exit;
        });
        return command;
    }

    private static void SetProofAction(Command command, TextWriter stdout, TextWriter stderr, Func<ProofOptions, int> check) =>
        command.SetAction(parse => check(new ProofOptions(ConcordatCommand.CreateContext(parse, stdout, stderr), parse)));

    private static int Report(CliContext context, ProofVerification result, ErrorCode code, string success)
    {
        if (result.IsValid)
        {
            context.Out.WriteLine(success);
            return ExitCodes.Ok;
        }

        var exitCode = result.Failure is ProofFailure.IndexOutOfRange or ProofFailure.SizesReversed or ProofFailure.EmptyOlderTree ? ExitCodes.Invalid : ExitCodes.VerificationFailed;
        return context.Fail(exitCode, exitCode == ExitCodes.Invalid ? LogErrorCodes.ProofInputMalformed : code, result.Reason);
    }

    private static int Malformed(CliContext context, ErrorCode code, string message, SourceSpan span, string help)
    {
        context.WriteDiagnostics([code.Error(message, span, help)]);
        return ExitCodes.Invalid;
    }

    /// <summary>
    /// Reads the options of a proof check in the order asked; the first missing or malformed value is reported,
    /// and later reads return defaults without reporting, so a user sees one error at a time.
    /// </summary>
    private sealed class ProofOptions(CliContext context, ParseResult parse)
    {
        public CliContext Context => context;

        public int Exit { get; private set; } = ExitCodes.Ok;

        public bool IsValid => Exit == ExitCodes.Ok;

        public MerkleHash Hash(Option<string> option)
        {
            var text = parse.GetValue(option);
            if (TryParseHash(text, out var hash))
            {
                return hash;
            }

            MissingOrMalformed(text, option.Name, "64 hex digits or 44 base64 characters");
            return default;
        }

        public MerkleHash LeafHash(Option<string> leafHash, Option<string?> entry)
        {
            if (parse.GetValue(entry) is not { } path)
            {
                return Hash(leafHash);
            }

            if (parse.GetValue(leafHash) is not null)
            {
                Fail($"give {leafHash.Name} or {entry.Name}, not both", "the leaf hash is computed from the entry's bytes");
                return default;
            }

            if (!IsValid)
            {
                return default;
            }

            if (!CliInput.TryReadAll(context, path, out var bytes))
            {
                Exit = ExitCodes.Error;
                return default;
            }

            return MerkleHash.OfLeaf(bytes);
        }

        public long Number(Option<string> option)
        {
            var text = parse.GetValue(option);
            if (text is not null && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            if (text is { Length: > 0 } && text.All(char.IsAsciiDigit))
            {
                Fail($"{option.Name} `{text}` is out of range: at most {long.MaxValue}", null);
                return 0;
            }

            MissingOrMalformed(text, option.Name, "a whole number from 0");
            return 0;
        }

        public List<MerkleHash> Proof(Option<string> option)
        {
            var text = parse.GetValue(option);
            var hashes = new List<MerkleHash>();
            if (string.IsNullOrEmpty(text))
            {
                return hashes;
            }

            var parts = text.Split(',');
            for (var i = 0; i < parts.Length; i++)
            {
                if (!TryParseHash(parts[i], out var hash))
                {
                    Fail($"{option.Name}: hash {i + 1} `{parts[i]}` is not 64 hex digits or 44 base64 characters", "separate the proof hashes with commas and no spaces");
                    return hashes;
                }

                hashes.Add(hash);
            }

            return hashes;
        }

        // The HTTP API serves hashes in standard base64 and `log prove` prints hex: both are taken, each only in its
        // canonical spelling (base64 padded, no stray bits), so one hash has one accepted text per form.
        private static bool TryParseHash(string? text, out MerkleHash hash)
        {
            hash = default;
            if (MerkleHash.TryParseHex(text, out hash))
            {
                return true;
            }

            Span<byte> bytes = stackalloc byte[33];
            return text is { Length: 44 } && Convert.TryFromBase64String(text, bytes, out var written) && written == Rfc6962.HashSize
                && Convert.ToBase64String(bytes[..written]) == text && MerkleHash.TryFromBytes(bytes[..written], out hash);
        }

        private void MissingOrMalformed(string? text, string option, string expected)
        {
            if (text is null)
            {
                Fail($"{option} is required", $"give {option} as {expected}");
            }
            else
            {
                Fail($"{option} `{text}` is not {expected}", null);
            }
        }

        private void Fail(string message, string? help)
        {
            if (IsValid)
            {
                Exit = context.Fail(ExitCodes.Invalid, LogErrorCodes.ProofInputMalformed, message, help);
            }
        }
    }
}
