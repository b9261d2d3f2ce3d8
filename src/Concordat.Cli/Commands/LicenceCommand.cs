using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Licences;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat licence check EXPRESSION</c> and <c>concordat licence compat --model EXPR --use USE --input NAME=EXPR</c>:
/// SPDX licence expressions and the licence compatibility of a model with its inputs (docs/design/licences.md).
/// </summary>
internal static class LicenceCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("licence", "Check SPDX licence expressions and the licence compatibility of a model with its inputs")
        {
            Check(stdout, stderr),
            Compat(stdout, stderr),
        };

    private static Command Check(TextWriter stdout, TextWriter stderr)
    {
        var expression = new Argument<string>("expression") { Description = "An SPDX licence expression (quote it)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("check", $"Parse an SPDX licence expression against the SPDX licence list {SpdxLicenceList.LicenceListVersion}") { expression, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var result = LicenceExpressionParser.Parse(parse.GetValue(expression)!);
            if (parse.GetValue(json))
            {
                var document = new JsonObject
                {
                    ["valid"] = result.IsValid,
                    ["expression"] = result.Expression?.ToString(),
                    ["tree"] = result.Expression is null ? null : Tree(result.Expression),
                    ["licenceList"] = SpdxLicenceList.LicenceListVersion,
                    ["exceptionList"] = SpdxLicenceList.ExceptionListVersion,
                };
                context.Out.WriteLine(document.ToJsonString(s_json));
            }
            else if (result.Expression is { } parsed)
            {
                context.Out.WriteLine(parsed.ToString());
                WriteTree(context.Out, parsed, "  ");
            }

            context.WriteDiagnostics(result.Diagnostics);
            return result.IsValid ? ExitCodes.Ok : ExitCodes.Invalid;
        });
        return command;
    }

    private static Command Compat(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "The model's SPDX licence expression", Required = true };
        var use = new Option<string>("--use") { Description = "What the model is for: research, evaluation, non-commercial or commercial", Required = true };
        use.AcceptOnlyFromAmong([.. Enum.GetValues<ModelUse>().Select(LicenceCompatibility.NameOf)]);
        var inputs = new Option<string[]>("--input") { Description = "An input as NAME=EXPRESSION, or a dataset id of --agreement (its tags give the licence); repeatable", Arity = ArgumentArity.OneOrMore, Required = true };
        var agreementFile = new Option<string?>("--agreement") { Description = "The agreement the inputs were obtained under (YAML)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("compat", "Check a model's licence and use against every input's licence and agreement, and list the credits it must carry") { model, use, inputs, agreementFile, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            Agreement? agreement = null;
            if (parse.GetValue(agreementFile) is { } path && (agreement = AgreementFiles.Load(context, path, out var code)) is null)
            {
                return code;
            }

            var list = new List<LicenceInput>();
            foreach (var text in parse.GetValue(inputs)!)
            {
                var equals = text.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    list.Add(new LicenceInput(text[..equals], text[(equals + 1)..], agreement));
                }
                else if (agreement is not null && equals < 0 && agreement.Datasets.Any(d => d.Id.Value == text))
                {
                    list.Add(new LicenceInput(text, null, agreement, new DatasetId(text)));
                }
                else
                {
                    return context.Fail(CliErrorCodes.LicenceInputInvalid, $"`--input`: `{text}` is neither NAME=EXPRESSION nor a dataset of the agreement");
                }
            }

            var useValue = Enum.GetValues<ModelUse>().First(u => LicenceCompatibility.NameOf(u) == parse.GetValue(use));
            var result = LicenceCompatibility.Check(new LicenceCheckRequest(parse.GetValue(model)!, useValue, list));
            if (parse.GetValue(json))
            {
                var document = new
                {
                    compatible = result.IsCompatible,
                    findings = result.Findings.Select(f => new { code = f.Code, severity = f.Severity.ToString().ToLowerInvariant(), message = f.Message, help = f.Help }),
                    attributions = result.Attributions,
                };
                context.Out.WriteLine(JsonSerializer.Serialize(document, s_json));
            }
            else
            {
                context.Out.WriteLine(result.IsCompatible ? "compatible" : $"not compatible: {result.Findings.Count(f => f.IsError)} error(s)");
                foreach (var credit in result.Attributions)
                {
                    context.Out.WriteLine($"attribution: {credit.Input}: {credit.Source}: {credit.Text ?? "(no text given)"}");
                }

                context.WriteDiagnostics(result.Findings);
            }

            return result.IsCompatible ? ExitCodes.Ok : ExitCodes.Denied;
        });
        return command;
    }

    private static JsonObject Tree(LicenceExpression expression) => expression switch
    {
        LicenceAnd and => new JsonObject { ["and"] = new JsonArray(Tree(and.Left), Tree(and.Right)) },
        LicenceOr or => new JsonObject { ["or"] = new JsonArray(Tree(or.Left), Tree(or.Right)) },
        LicenceTerm term => new JsonObject { ["licence"] = term.Id, ["orLater"] = term.OrLater, ["exception"] = term.Exception, ["reference"] = term.IsReference },
        _ => throw new InvalidOperationException("unknown expression node"),
    };

    private static void WriteTree(TextWriter writer, LicenceExpression expression, string indent)
    {
        switch (expression)
        {
            case LicenceAnd and:
                writer.WriteLine($"{indent}AND");
                WriteTree(writer, and.Left, indent + "  ");
                WriteTree(writer, and.Right, indent + "  ");
                break;
            case LicenceOr or:
                writer.WriteLine($"{indent}OR");
                WriteTree(writer, or.Left, indent + "  ");
                WriteTree(writer, or.Right, indent + "  ");
                break;
            default:
                var term = (LicenceTerm)expression;
                var rule = LicenceRules.TryFind(term, out var found) ? found.Kind : "no compatibility rule";
                writer.WriteLine($"{indent}{term} ({rule})");
                break;
        }
    }
}
