using System.CommandLine;
using System.Text.Json;
using Concordat.Agreements.Signatures;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat trust add|list</c>: the signers' keys pinned in a workspace's <c>trusted-keys</c>; only a signature by a
/// pinned key makes an uploaded agreement count as signed.
/// </summary>
internal static class TrustCommand
{
    private static readonly JsonSerializerOptions s_indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("trust", "Pin signers' verifier keys in the workspace's trusted-keys, and list them")
        {
            CreateAdd(stdout, stderr),
            CreateList(stdout, stderr),
        };

    private static Command CreateAdd(TextWriter stdout, TextWriter stderr)
    {
        var signer = new Argument<string>("signer") { Description = "The party or approver id, as agreements name it" };
        var key = new Argument<string>("key") { Description = "Its verifier key `name+hash+base64`, inline or as the .pub file `concordat key new` wrote" };
        var workspace = WorkspaceOptions.Workspace();
        var command = new Command("add", "Pin a signer's verifier key; agreements uploaded from now on count its signatures") { signer, key, workspace };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var signerId = parse.GetValue(signer)!;
            if (signerId.Length == 0 || signerId.StartsWith('#') || signerId.Any(char.IsWhiteSpace))
            {
                return context.Fail(CliErrorCodes.TrustSignerInvalid, $"signer id `{signerId}` is not valid");
            }

            if (!KeyFiles.TryReadVerifierKey(parse.GetValue(key)!, out var verifierKey, out var error))
            {
                return context.Fail(CliErrorCodes.TrustKeyInvalid, error!);
            }

            var path = Path.Combine(parse.GetValue(workspace)!, GatewayWorkspace.TrustedKeysFileName);
            var pinned = Read(context, path, out var exitCode);
            if (pinned is null)
            {
                return exitCode;
            }

            var text = verifierKey!.ToString();
            if (pinned.KeysFor(new SignerId(signerId)).Any(k => k.ToString() == text))
            {
                context.Out.WriteLine($"`{signerId}` key `{verifierKey.Name}+{verifierKey.KeyId:x8}` is already pinned in {path}");
                return ExitCodes.Ok;
            }

            if (!CliPaths.TryWrite(context, path, () =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.AppendAllText(path, $"{signerId} {text}\n");
            }))
            {
                return CliErrorCodes.OutputUnwritable.Exit;
            }

            context.Out.WriteLine($"pinned `{signerId}` key `{verifierKey.Name}+{verifierKey.KeyId:x8}` in {path}: agreements uploaded from now on count its signatures");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList(TextWriter stdout, TextWriter stderr)
    {
        var workspace = WorkspaceOptions.Workspace();
        var json = new Option<bool>("--json") { Description = "Write the list as JSON" };
        var command = new Command("list", "List the pinned keys: signer, key name and key id") { workspace, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = Path.Combine(parse.GetValue(workspace)!, GatewayWorkspace.TrustedKeysFileName);
            var pinned = Read(context, path, out var exitCode);
            if (pinned is null)
            {
                return exitCode;
            }

            var rows = pinned.Signers.OrderBy(s => s.Value, StringComparer.Ordinal)
                .SelectMany(s => pinned.KeysFor(s).Select(k => (Signer: s.Value, Key: k)))
                .ToList();
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new { signer = r.Signer, keyName = r.Key.Name, keyId = r.Key.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), key = r.Key.ToString() }), s_indented));
                return ExitCodes.Ok;
            }

            CliTable.Write(context, ["signer", "key", "verifier key"], rows.Select(r => (IReadOnlyList<string>)[r.Signer, $"{r.Key.Name}+{r.Key.KeyId:x8}", r.Key.ToString()]));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads the workspace's pinned keys; none when the file does not exist yet.</summary>
    private static TrustedKeys? Read(CliContext context, string path, out int exitCode)
    {
        exitCode = ExitCodes.Ok;
        return File.Exists(path) ? AgreementFiles.LoadTrustedKeys(context, path, out exitCode) : TrustedKeys.Empty;
    }
}
