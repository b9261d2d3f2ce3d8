using System.Reflection;
using Concordat.Data.Attestations;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Decisions;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Provenance;
using Concordat.Gateway.Recipients;
using Concordat.Store.Registry;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// The streamed answer of <c>GET /v1/datasets/{datasetId}/rows</c>: runs only after the decision entry is durable;
/// counts and hashes exactly the bytes sent; logs the egress entry, stores the receipt and attests the egress when the
/// stream ends, completed or stopped.
/// </summary>
/// <remarks>The result owns <paramref name="plan"/> (and so its pseudonym key) and disposes it when the stream ends.</remarks>
internal sealed class EgressResult(EgressPlan plan, DatasetManifest manifest, RowFormat format, TokenRecord token, DecisionId decisionId, IReadOnlyList<string> obligations) : IResult, IEndpointMetadataProvider
{
    /// <summary>The response header that names the egress decision, whose receipt the recipient can fetch.</summary>
    public const string DecisionHeader = "Concordat-Decision-Id";

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/csv", "application/x-ndjson"]));
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var datasets = services.GetRequiredService<DatasetStore>();
        var streams = services.GetRequiredService<StreamRegistry>();
        var store = services.GetRequiredService<IRegistryStore>();
        var journal = services.GetRequiredService<GatewayJournal>();
        var logger = services.GetRequiredService<ILogger<EgressResult>>();
        var metrics = services.GetRequiredService<GatewayMetrics>();
        var attestor = services.GetRequiredService<GatewayAttestor>();

        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = format == RowFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
        httpContext.Response.Headers[DecisionHeader] = decisionId.Value;

        using var registration = streams.Register(token.Recipient, token.Id, httpContext.RequestAborted);
        await using var counted = new HashingStream(httpContext.Response.Body);
        EgressReceipt receipt;
        using (plan)
        {
            await using var rows = datasets.OpenRows(manifest);
            receipt = await EgressWriter.WriteAsync(plan, rows, counted, format, registration.Token).ConfigureAwait(false);
        }

        string? stoppedBy = null;
        if (!receipt.IsComplete)
        {
            stoppedBy = registration.StoppedBy ?? "client";
            if (registration.StoppedBy == StreamRegistry.SealReason)
            {
                // Invariant: a seal made here is logged before the egress it stopped.
                await streams.SealEntryWrittenAsync(token.Recipient).ConfigureAwait(false);
            }

            // Security: a stopped stream ends abruptly, so the recipient cannot mistake it for a complete file.
            httpContext.Abort();
        }

        var name = format == RowFormat.Csv ? "csv" : "ndjson";
        var digest = counted.Digest();
        var manifestDigest = manifest.ComputeDigest();
        var entry = new EgressEntry(
            journal.Now,
            decisionId.Value,
            token.Id.Value,
            token.Recipient.Value,
            token.Dataset.Value,
            name,
            receipt.RowsSent,
            counted.BytesWritten,
            digest.ToString(),
            receipt.IsComplete,
            stoppedBy,
            manifest.Version.Number,
            manifestDigest.ToString(),
            receipt.RowsFilteredByConsent,
            receipt.RowsFilteredByResidency,
            obligations);

        // Invariant: the egress entry is written even when the client is gone; it waits for the log rather than being dropped.
        var index = await journal.AppendUntilDurableAsync(entry).ConfigureAwait(false);

        await store.AddReceiptAsync(
            new ReceiptRecord(decisionId, token.Id, token.Recipient, token.Dataset, name, receipt.RowsSent, counted.BytesWritten, digest, receipt.IsComplete, index, entry.At, receipt.RowsFilteredByConsent, receipt.RowsFilteredByResidency, manifest.Version.Number, manifestDigest),
            CancellationToken.None).ConfigureAwait(false);

        // The attestation states exactly the bytes written, as the entry and the receipt do.
        var facts = new EgressFacts(decisionId.Value, token.Recipient.Value, token.Dataset.Value, manifest.Version.Number, token.AgreementDigest, token.Purpose.Value, obligations, name, entry.At);
        await attestor.AttestEgressAsync(facts, receipt with { BytesSent = counted.BytesWritten, Sha256 = digest }).ConfigureAwait(false);
        metrics.Sent(name, receipt.RowsSent, counted.BytesWritten);
        LogMessages.Egress(logger, decisionId.Value, receipt.RowsSent, counted.BytesWritten, receipt.IsComplete);
    }
}
