using System.CommandLine;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Crypto;
using Concordat.Data.Datasets;
using Concordat.Gateway;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat quickstart [--workspace DIR] [--urls URLS] [--agreement NAME]</c>: a sample workspace (the demo keys the
/// sample agreement names, pinned; the agreement signed; a synthetic dataset; a recipient identity), then the gateway,
/// serving, with the next commands to try. Running it again on the same workspace reuses what is there.
/// </summary>
internal static class QuickstartCommand
{
    private const int Steps = 5;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var workspace = new Option<string>("--workspace") { Description = "The workspace to create or reuse", DefaultValueFactory = _ => "concordat-quickstart" };
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => GatewayOptions.DefaultUrls };
        var sample = new Option<string>("--agreement") { Description = $"The sample agreement: {string.Join(", ", QuickstartSamples.Names)}", DefaultValueFactory = _ => "hospital-research" };
        var command = new Command("quickstart", "Create a sample workspace with a signed agreement, a dataset and a recipient identity, and serve it") { workspace, urls, sample };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(urls)!, parse.GetValue(sample)!, ready: null, cancellationToken);
        });
        return command;
    }

    /// <summary>Sets the workspace up, serves it, and calls <paramref name="ready"/> (if any) once everything is in place.</summary>
    internal static async Task<int> RunAsync(CliContext context, string directory, string urls, string name, Func<Task>? ready, CancellationToken cancellationToken)
    {
        if (QuickstartSamples.ReadAgreement(name) is not { } yaml)
        {
            return context.Fail(CliErrorCodes.SampleMissing, $"no sample agreement `{name}`", $"the samples are: {string.Join(", ", QuickstartSamples.Names)}");
        }

        var read = AgreementReader.Read(yaml, name + ".yaml");
        if (read.Agreement is not { } agreement)
        {
            context.WriteDiagnostics(read.Diagnostics);
            return ExitCodes.Invalid;
        }

        var plan = QuickstartPlan.Create(agreement, TimeProvider.System.GetUtcNow())
            ?? throw new InvalidOperationException($"sample `{name}` grants no read of rows in force now");
        Step(context, 1, $"workspace {Path.GetFullPath(directory)}: the demo keys of every signer, pinned in `{GatewayWorkspace.TrustedKeysFileName}`; `{agreement.Id}` signed");
        string signatures;
        try
        {
            GatewayWorkspace.OpenOrCreate(directory);
            signatures = Sign(agreement, yaml, directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return context.Fail(CliErrorCodes.WorkspaceUnavailable, $"cannot set up workspace `{directory}`: {ex.Message}");
        }

        Step(context, 2, "starting the gateway");
        var options = new GatewayOptions { Workspace = directory, Urls = urls };
        return await ServeCommand.RunAsync(context, options, store: null, async address =>
        {
            await SetUpAsync(context, directory, address, yaml, signatures, agreement, plan, cancellationToken).ConfigureAwait(false);
            if (ready is not null)
            {
                await ready().ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void Step(CliContext context, int step, string text) => context.Out.WriteLine($"[{step}/{Steps}] {text}");

    /// <summary>
    /// Writes the sample's demo key of each required signer to parties/ (the keys the agreement's <c>keys:</c> name, so
    /// amendments can be signed from the workspace), pins each once in trusted-keys, and signs the agreement.
    /// </summary>
    private static string Sign(Agreement agreement, string yaml, string directory)
    {
        var parties = Path.Combine(directory, "parties");
        Directory.CreateDirectory(parties);
        var trusted = Path.Combine(directory, GatewayWorkspace.TrustedKeysFileName);
        var pinned = File.Exists(trusted) ? File.ReadAllLines(trusted) : [];
        var signatures = new List<AgreementSignature>();
        foreach (var (signer, _, _) in AgreementSigner.RequiredSigners(agreement))
        {
            var keyText = QuickstartSamples.ReadSignerKey(signer.Value) ?? throw new InvalidDataException($"no demo key for signer `{signer}`");
            if (!NoteKey.TryParseSignerKey(keyText.Trim(), out var key, out var error))
            {
                throw new InvalidDataException($"demo key of `{signer}`: {error}");
            }

            var keyPath = Path.Combine(parties, signer.Value + ".key");
            if (!File.Exists(keyPath))
            {
                SecretFile.WriteNew(keyPath, keyText);
                File.WriteAllText(Path.Combine(parties, signer.Value + ".pub"), key!.VerifierKey + "\n");
            }

            var line = $"{signer} {key!.VerifierKey}";
            if (!pinned.Contains(line, StringComparer.Ordinal))
            {
                File.AppendAllText(trusted, line + "\n");
            }

            signatures.Add(AgreementSigner.Sign(agreement, signer, key));
        }

        var file = SignatureFile.Write(signatures);
        File.WriteAllText(Path.Combine(directory, agreement.Id + ".yaml"), yaml);
        File.WriteAllText(Path.Combine(directory, agreement.Id + SignatureFile.Suffix), file);
        return file;
    }

    private static async Task SetUpAsync(CliContext context, string directory, string address, string yaml, string signatures, Agreement agreement, QuickstartPlan plan, CancellationToken cancellationToken)
    {
        using var client = GatewayClient.TryCreate(directory, address, out var error) ?? throw new InvalidOperationException(error);
        Step(context, 3, $"uploading `{agreement.Id}` version {agreement.Version}");
        var (status, body) = await client.SendJsonAsync(HttpMethod.Post, "v1/agreements", new { document = yaml, signatures }, cancellationToken).ConfigureAwait(false);
        if (status is not (201 or 409))
        {
            GatewayClient.Fail(context, status, body);
            return;
        }

        context.Out.WriteLine($"      `{agreement.Id}` v{agreement.Version}: signed by every party and approver, active");
        var dataset = plan.Dataset;
        var latest = new DatasetStore(directory, TimeProvider.System).GetLatest(dataset.Id);
        if (latest is not null)
        {
            Step(context, 4, $"dataset `{dataset.Id}` already imported: version {latest.Version}, {latest.RowCount} row(s)");
        }
        else
        {
            Step(context, 4, $"importing 1000 synthetic rows into `{dataset.Id}`");
            var consent = string.Join(';', plan.Grant.Purposes.Select(p => p.Value));
            using var content = new StringContent(SampleRows.Csv(dataset, 1000, consent, plan.Jurisdiction), System.Text.Encoding.UTF8, "text/csv");
            (status, body) = await client.SendAsync(HttpMethod.Post, $"v1/datasets/{dataset.Id}/versions", content, cancellationToken).ConfigureAwait(false);
            if (status != 201)
            {
                GatewayClient.Fail(context, status, body);
                return;
            }

            context.Out.WriteLine($"      imported version {body?["version"]}: {body?["rows"]} row(s), manifest {body?["manifest"]}");
        }

        var recipient = plan.Grant.Recipient.Value;
        var credentials = await IdentityAsync(context, client, directory, recipient, cancellationToken).ConfigureAwait(false);
        if (credentials is not var (clientId, secret))
        {
            return;
        }

        var rowsBody = $$"""{"dataset":"{{dataset.Id}}","purpose":"{{plan.Purpose}}","jurisdiction":"{{plan.Jurisdiction}}"}""";
        var deniedBody = $$"""{"dataset":"{{dataset.Id}}","purpose":"{{plan.DeniedPurpose}}","jurisdiction":"{{plan.DeniedJurisdiction}}"}""";
        context.Out.WriteLine($"""

            Try next, in another terminal:
              # a token (the decision is logged first)
              TOKEN=$(curl -s -u {clientId}:{secret} -H 'content-type: application/json' \
                -d '{rowsBody}' {address}/v1/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/')
              # rows with the agreement's obligations applied (pseudonymised, dropped, generalised)
              curl -s -D - -H "authorization: Bearer $TOKEN" -H 'accept: text/csv' {address}/v1/datasets/{dataset.Id}/rows | head
              # a denied request ({plan.DeniedBecause})
              curl -s -u {clientId}:{secret} -H 'content-type: application/json' \
                -d '{deniedBody}' {address}/v1/tokens
              # the signed checkpoint and the log
              curl -s {address}/v1/log/checkpoint
              curl -s '{address}/v1/log/entries?cursor=0&limit=20'
              # operator commands
              concordat access review --workspace {directory}
              concordat identity list {recipient} --workspace {directory}
              concordat seal {recipient} --reason drill --workspace {directory}
            """);
    }

    /// <summary>
    /// The recipient's demo identity: the one kept in parties/RECIPIENT.client while it is live, else a new one, so
    /// running quickstart again does not pile up identities.
    /// </summary>
    private static async Task<(string ClientId, string Secret)?> IdentityAsync(CliContext context, GatewayClient client, string directory, string recipient, CancellationToken cancellationToken)
    {
        var kept = Path.Combine(directory, "parties", recipient + ".client");
        if (File.Exists(kept) && File.ReadAllText(kept).Trim().Split(' ') is [var keptId, var keptSecret])
        {
            var (listed, identities) = await client.SendAsync(HttpMethod.Get, $"v1/recipients/{recipient}/identities", null, cancellationToken).ConfigureAwait(false);
            if (listed == 200 && identities is JsonArray all && all.Any(i => i?["clientId"]?.GetValue<string>() == keptId && i["revokedAt"] is null))
            {
                Step(context, 5, $"recipient `{recipient}` identity {keptId} (role training), kept in {kept}");
                return (keptId, keptSecret);
            }

            File.Delete(kept);
        }

        Step(context, 5, $"creating an identity of role training for recipient `{recipient}`");
        var (status, body) = await client.SendJsonAsync(HttpMethod.Post, $"v1/recipients/{recipient}/identities", new { role = "training" }, cancellationToken).ConfigureAwait(false);
        if (status != 201 || body is null)
        {
            GatewayClient.Fail(context, status, body);
            return null;
        }

        var clientId = body["clientId"]!.GetValue<string>();
        var secret = body["clientSecret"]!.GetValue<string>();

        // Security: the demo secret is kept owner-only, as admin.key is, so a second run can show it again.
        SecretFile.WriteNew(kept, $"{clientId} {secret}\n");
        context.Out.WriteLine($"      identity {clientId}; its secret is kept owner-only in {kept}");
        return (clientId, secret);
    }
}
