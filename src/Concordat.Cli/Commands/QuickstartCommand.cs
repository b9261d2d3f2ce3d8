using System.CommandLine;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Crypto;
using Concordat.Gateway;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat quickstart [--workspace DIR] [--urls URLS] [--agreement NAME]</c>: a sample workspace (keys, parties,
/// the fully signed sample agreement, a synthetic dataset, a recipient identity), then the gateway, serving, with the
/// next commands to try.
/// </summary>
internal static class QuickstartCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var workspace = new Option<string>("--workspace") { Description = "The workspace to create or reuse", DefaultValueFactory = _ => "concordat-quickstart" };
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => GatewayOptions.DefaultUrls };
        var sample = new Option<string>("--agreement") { Description = "The sample agreement under samples/agreements", DefaultValueFactory = _ => "hospital-research" };
        var command = new Command("quickstart", "Create a sample workspace with a signed agreement, a dataset and a recipient identity, and serve it") { workspace, urls, sample };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var directory = parse.GetValue(workspace)!;
            var name = parse.GetValue(sample)!;
            var source = FindSample(name);
            if (source is null)
            {
                return context.Fail(CliErrorCodes.SampleMissing, $"sample agreement `{name}` not found under samples/agreements");
            }

            var yaml = await File.ReadAllTextAsync(source, cancellationToken).ConfigureAwait(false);
            var read = AgreementReader.Read(yaml, source);
            if (read.Agreement is not { } agreement)
            {
                context.WriteDiagnostics(read.Diagnostics);
                return ExitCodes.Invalid;
            }

            GatewayWorkspace.OpenOrCreate(directory);
            var signatures = Sign(agreement, directory);
            var options = new GatewayOptions { Workspace = directory, Urls = parse.GetValue(urls)! };
            return await ServeCommand.RunAsync(context, options, store: null, address => SetUpAsync(context, directory, address, yaml, signatures, agreement, cancellationToken), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static string? FindSample(string name)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "samples", "agreements", name + ".yaml");
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    /// <summary>Makes a key per required signer (kept in parties/), pins it in trusted-keys and signs the agreement.</summary>
    private static string Sign(Agreement agreement, string directory)
    {
        var parties = Path.Combine(directory, "parties");
        Directory.CreateDirectory(parties);
        var trusted = Path.Combine(directory, GatewayWorkspace.TrustedKeysFileName);
        var signatures = new List<AgreementSignature>();
        foreach (var (signer, _, _) in AgreementSigner.RequiredSigners(agreement))
        {
            var keyPath = Path.Combine(parties, signer.Value + ".key");
            if (!File.Exists(keyPath))
            {
                var key = Ed25519PrivateKey.Generate();
                SecretFile.WriteNew(keyPath, NoteKey.FormatSignerKey(signer.Value, key) + "\n");
                File.WriteAllText(Path.Combine(parties, signer.Value + ".pub"), NoteKey.FormatVerifierKey(signer.Value, key.PublicKey) + "\n");
                File.AppendAllText(trusted, $"{signer} {NoteKey.FormatVerifierKey(signer.Value, key.PublicKey)}\n");
            }

            if (!KeyFiles.TryReadSignerKey(keyPath, out var signerKey, out var error))
            {
                throw new InvalidDataException(error);
            }

            signatures.Add(AgreementSigner.Sign(agreement, signer, signerKey!));
        }

        var file = SignatureFile.Write(signatures);
        File.WriteAllText(Path.Combine(directory, agreement.Id + SignatureFile.Suffix), file);
        return file;
    }

    private static async Task SetUpAsync(CliContext context, string directory, string address, string yaml, string signatures, Agreement agreement, CancellationToken cancellationToken)
    {
        using var client = GatewayClient.TryCreate(directory, address, out var error) ?? throw new InvalidOperationException(error);
        var (status, body) = await client.SendJsonAsync(HttpMethod.Post, "v1/agreements", new { document = yaml, signatures }, cancellationToken).ConfigureAwait(false);
        if (status is not (201 or 409))
        {
            GatewayClient.Fail(context, status, body);
            return;
        }

        context.Out.WriteLine($"agreement `{agreement.Id}` v{agreement.Version}: signed by every party and approver, active");
        var grant = agreement.Grants.First(g => g.Actions.Contains(DataAction.ReadRows));
        var dataset = agreement.Datasets.First(d => d.Id == grant.Datasets[0]);
        var csvPath = Path.Combine(directory, dataset.Id + ".csv");
        await File.WriteAllTextAsync(csvPath, SampleRows.Csv(dataset, 1000, string.Join(';', agreement.Purposes.Select(p => p.Id.Value)), grant.Jurisdictions.Count > 0 ? grant.Jurisdictions[0].Value : "DE"), cancellationToken).ConfigureAwait(false);
        using (var content = new StringContent(await File.ReadAllTextAsync(csvPath, cancellationToken).ConfigureAwait(false), System.Text.Encoding.UTF8, "text/csv"))
        {
            (status, body) = await client.SendAsync(HttpMethod.Post, $"v1/datasets/{dataset.Id}/versions", content, cancellationToken).ConfigureAwait(false);
        }

        context.Out.WriteLine(status == 201 ? $"dataset `{dataset.Id}` imported: {body?["rows"]} synthetic row(s), manifest {body?["manifest"]}" : $"dataset import answered {status}");
        (status, body) = await client.SendJsonAsync(HttpMethod.Post, $"v1/recipients/{grant.Recipient}/identities", new { role = "training" }, cancellationToken).ConfigureAwait(false);
        if (status != 201 || body is null)
        {
            GatewayClient.Fail(context, status, body);
            return;
        }

        var clientId = body["clientId"]!.GetValue<string>();
        var secret = body["clientSecret"]!.GetValue<string>();
        var jurisdiction = grant.Jurisdictions.Count > 0 ? grant.Jurisdictions[0].Value : "DE";
        context.Out.WriteLine($"""
            recipient `{grant.Recipient}` identity {clientId} (role training); its secret is shown this once:
              {secret}

            Try next, in another terminal:
              # a token (the decision is logged first)
              TOKEN=$(curl -s -u {clientId}:{secret} -H 'content-type: application/json' \
                -d '{"{"}"dataset":"{dataset.Id}","purpose":"{grant.Purposes[0]}","jurisdiction":"{jurisdiction}"{"}"}' {address}/v1/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/')
              # rows with the agreement's obligations applied (pseudonymised, dropped, generalised)
              curl -s -D - -H "authorization: Bearer $TOKEN" -H 'accept: text/csv' {address}/v1/datasets/{dataset.Id}/rows | head
              # a denied request: a prohibited jurisdiction
              curl -s -u {clientId}:{secret} -H 'content-type: application/json' \
                -d '{"{"}"dataset":"{dataset.Id}","purpose":"{grant.Purposes[0]}","jurisdiction":"US"{"}"}' {address}/v1/tokens
              # the signed checkpoint and the log
              curl -s {address}/v1/log/checkpoint
              curl -s '{address}/v1/log/entries?cursor=0&limit=20'
              # operator commands
              concordat access review --workspace {directory}
              concordat seal {grant.Recipient} --reason drill --workspace {directory}
            """);
    }
}
