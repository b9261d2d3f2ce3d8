using System.CommandLine;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat key new --name NAME --out PATH</c>: writes PATH.key (signer key, owner-only) and PATH.pub (verifier key).
/// </summary>
internal static class KeyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var name = new Option<string>("--name") { Description = "The key name, for example the party id or the log origin", Required = true };
        var output = new Option<string>("--out") { Description = "Path prefix: writes PATH.key and PATH.pub", Required = true };
        var newCommand = new Command("new", "Write a new Ed25519 key pair in the C2SP signed-note key forms") { name, output };
        newCommand.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return WriteKeyPair(context, parse.GetValue(name)!, parse.GetValue(output)!);
        });
        var key = new Option<string>("--key") { Description = "The witness's key: its `.pub` verifier key (inline or as a file), or its `.key` file", Required = true };
        var cosigner = new Command("cosigner", "Print a key's verifier key in the C2SP tlog-cosignature form (cosignature/v1), the form partners pin for a witness") { key };
        cosigner.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return PrintCosigner(context, parse.GetValue(key)!);
        });
        return new Command("key", "Manage Ed25519 keys") { newCommand, cosigner };
    }

    // Spec: c2sp.org/tlog-cosignature — the same Ed25519 key has another key ID as a cosigner (type 0x04), so a
    // witness's `.pub` line does not verify its cosignatures: this prints the line that does.
    private static int PrintCosigner(CliContext context, string keyText)
    {
        Ed25519PublicKey publicKey;
        string name;
        if (File.Exists(keyText) && File.ReadAllText(keyText).StartsWith("PRIVATE+KEY+", StringComparison.Ordinal))
        {
            if (!KeyFiles.TryLoadSignerKey(context, keyText, out var signer, out var exit))
            {
                return exit;
            }

            (name, publicKey) = (signer.Name, signer.PrivateKey.PublicKey);
        }
        else if (KeyFiles.TryReadVerifierKey(keyText, out var verifier, out var error))
        {
            (name, publicKey) = (verifier!.Name, verifier.PublicKey);
        }
        else
        {
            return context.Fail(ExitCodes.Invalid, Concordat.Log.LogErrorCodes.KeyMalformed, error!, "give the `.pub` or `.key` file that `concordat key new` wrote");
        }

        context.Out.WriteLine(Concordat.Notes.CosignatureV1.FormatVerifierKey(name, publicKey));
        return ExitCodes.Ok;
    }

    private static int WriteKeyPair(CliContext context, string name, string pathPrefix)
    {
        if (!NoteKey.IsValidName(name))
        {
            return context.Fail(CliErrorCodes.InvalidKeyName, $"key name `{name}` is not valid");
        }

        var privatePath = pathPrefix + ".key";
        var publicPath = pathPrefix + ".pub";
        if (File.Exists(privatePath) || File.Exists(publicPath))
        {
            return context.Fail(CliErrorCodes.KeyExists, $"`{privatePath}` or `{publicPath}` already exists");
        }

        var key = Ed25519PrivateKey.Generate();
        if (!CliPaths.TryWrite(context, privatePath, () => SecretFile.WriteNew(privatePath, NoteKey.FormatSignerKey(name, key) + "\n"))
            || !CliPaths.TryWrite(context, publicPath, () => File.WriteAllText(publicPath, NoteKey.FormatVerifierKey(name, key.PublicKey) + "\n")))
        {
            return CliErrorCodes.OutputUnwritable.Exit;
        }

        context.Out.WriteLine(NoteKey.FormatVerifierKey(name, key.PublicKey));
        return ExitCodes.Ok;
    }
}
