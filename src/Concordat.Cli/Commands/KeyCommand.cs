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
        return new Command("key", "Manage Ed25519 keys") { newCommand };
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
