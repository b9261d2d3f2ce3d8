using System.CommandLine;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Odrl;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat agreement export FILE --format odrl|json [--out PATH]</c>: the agreement in a form other tools read —
/// an ODRL 2.2 policy in JSON-LD (docs/formats/odrl.md), or the canonical JSON its digest is computed over.
/// </summary>
internal static class AgreementExportCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "The agreement (YAML)" };
        var format = new Option<string>("--format") { Description = "`odrl`: an ODRL 2.2 policy in JSON-LD; `json`: the RFC 8785 canonical JSON of the typed document", Required = true };
        format.AcceptOnlyFromAmong("odrl", "json");
        var output = new Option<string>("--out") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Write the agreement as an ODRL 2.2 policy (JSON-LD) or as its canonical JSON, saying what ODRL cannot express") { file, format, output };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var agreement = AgreementFiles.Load(context, parse.GetValue(file)!, out var code);
            if (agreement is null)
            {
                return code;
            }

            string text;
            if (parse.GetValue(format) == "odrl")
            {
                var policy = OdrlExport.Export(agreement);
                text = policy.Document.ToJsonString(s_indented);
                foreach (var note in policy.NotExpressed)
                {
                    context.Error.WriteLine($"note: not in the ODRL policy: {note}");
                }
            }
            else
            {
                text = System.Text.Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(agreement));
            }

            if (parse.GetValue(output) is not { } path)
            {
                context.Out.WriteLine(text);
                return ExitCodes.Ok;
            }

            return CliPaths.TryWrite(context, path, () => File.WriteAllText(path, text + "\n")) ? ExitCodes.Ok : CliErrorCodes.OutputUnwritable.Exit;
        });
        return command;
    }
}
