using System.Globalization;
using System.Security.Cryptography;
using Concordat.Agreements;
using Concordat.Data.Attestations;
using Concordat.Data.Egress;
using Concordat.Decisions;
using Concordat.Gateway.Datasets;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Recipients;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// <c>GET|HEAD /delta-sharing/files/{fileId}</c>: a pre-signed file URL, checked again on every fetch, served whole or
/// as one byte range (RFC 9110 §14), each fetch logged as an egress with its bytes and SHA-256.
/// </summary>
internal static class DeltaSharingFileResult
{
    /// <summary>The response header that names the fetch, whose receipt and attestation the recipient can fetch.</summary>
    public const string FetchHeader = "Concordat-Fetch-Id";

    private const string Format = "parquet";

    public static async Task<IResult> FetchAsync(string fileId, [AsParameters] DeltaSharingServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        if (!FileUrl.TryRead(fileId, context.Request.Query, services.Files.UrlKey, out var url))
        {
            return await journal.RefuseAsync(context, ProblemCode.FileUrlRefused, "the file URL is not valid: its signature does not match", Caller.Anonymous).ConfigureAwait(false);
        }

        // Security: the URL proves what was decided, not that it still holds: the token, the seal and the agreement
        // are checked again, and the request decided again, so revocation does not wait for the URL to expire.
        var caller = Caller.Anonymous with { Refused = new Caller.RefusedCredential(url!.Recipient, null, url.Token) };
        var token = await services.Store.FindTokenAsync(url.Token, context.RequestAborted).ConfigureAwait(false);
        var refusal =
            journal.Now.ToUnixTimeMilliseconds() >= url.ExpiresAt ? "the file URL has expired: query the table again" :
            token is null || token.Recipient != url.Recipient || token.RevokedAt is not null || journal.Now >= token.ExpiresAt ? "the share token the URL was issued under is no longer valid" :
            services.Streams.IsSealed(url.Recipient) || await services.Store.FindSealAsync(url.Recipient, context.RequestAborted).ConfigureAwait(false) is not null ? $"recipient `{url.Recipient}` is sealed" :
            !services.Policy.Agreements.Any(a => a.Digest == url.AgreementDigest && a.Agreement.Effective.Contains(journal.Now)) ? "the agreement the file was decided under is no longer in force: query the table again" :
            null;
        var obligations = refusal is null ? await ObligationsNowAsync(services, token!, url).ConfigureAwait(false) : null;
        refusal ??= obligations is null ? "the agreement no longer permits the fetch: query the table again" : null;
        if (refusal is not null || !services.Files.Cache.TryGet(url.Dataset, url.File, out var file))
        {
            return await journal.RefuseAsync(context, ProblemCode.FileUrlRefused, refusal ?? "the file is no longer kept: query the table again", caller, url.Decision).ConfigureAwait(false);
        }

        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            response.ContentLength = file.Size;
            response.ContentType = "application/vnd.apache.parquet";
            return Results.Empty;
        }

        var (start, length, isPartial) = Range(context.Request.Headers.Range.ToString(), file.Size);
        if (length < 0)
        {
            response.Headers.ContentRange = $"bytes */{file.Size}";
            return Results.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }

        response.StatusCode = isPartial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        if (isPartial)
        {
            response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{file.Size}";
        }

        response.ContentType = "application/vnd.apache.parquet";
        response.ContentLength = length;

        // The fetches of one URL share its decision id; each is an egress of its own, named by a fetch id.
        var fetchId = $"{url.Decision.Value}.f{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        response.Headers[EgressResult.DecisionHeader] = url.Decision.Value;
        response.Headers[FetchHeader] = fetchId;
        var counted = new HashingStream(response.Body);

        // Security: a seal or a revocation made while the file is sent stops it, as it stops a rows stream.
        string? stoppedBy = null;
        using (var registration = services.Streams.Register(url.Recipient, url.Token, context.RequestAborted))
        {
            try
            {
                await CopyAsync(file.Path, start, length, counted, registration.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                stoppedBy = registration.StoppedBy ?? "client";
                if (registration.StoppedBy == StreamRegistry.SealReason)
                {
                    // Invariant: a seal made here is logged before the egress it stopped.
                    await services.Streams.SealEntryWrittenAsync(url.Recipient).ConfigureAwait(false);
                }

                // Security: a stopped fetch ends abruptly, so the recipient cannot mistake it for the whole range.
                context.Abort();
            }
        }

        // Invariant: every fetch is logged, an aborted one too (with the bytes that left), even once the client is gone;
        // its receipt and attestation state exactly those bytes, and where they sit in the whole file.
        var manifest = services.Datasets.GetVersion(url.Dataset, new Data.Datasets.DatasetVersion(url.Version));
        var manifestDigest = manifest?.ComputeDigest();
        var isComplete = stoppedBy is null && counted.BytesWritten == length;
        var rows = isPartial ? (long?)null : file.Rows;
        var digest = counted.Digest();
        var entry = new EgressEntry(journal.Now, url.Decision.Value, url.Token.Value, url.Recipient.Value, url.Dataset.Value, Format, rows, counted.BytesWritten, digest.ToString(), isComplete, stoppedBy, url.Version, manifestDigest?.ToString() ?? string.Empty, 0, 0, obligations!)
        {
            FetchId = fetchId,
            RangeOffset = start,
        };
        var index = await journal.AppendUntilDurableAsync(entry).ConfigureAwait(false);
        await services.Store.AddReceiptAsync(
            new ReceiptRecord(new DecisionId(fetchId), url.Token, url.Recipient, url.Dataset, Format, rows ?? 0, counted.BytesWritten, digest, isComplete, index, entry.At, DatasetVersion: url.Version, Manifest: manifestDigest),
            CancellationToken.None).ConfigureAwait(false);
        var facts = new EgressFacts(url.Decision.Value, url.Recipient.Value, url.Dataset.Value, url.Version, url.AgreementDigest, token!.Purpose.Value, obligations!, Format, entry.At);
        var receipt = new EgressReceipt(rows ?? 0, counted.BytesWritten, digest, 0, 0, isComplete);
        await services.Attestor.AttestFetchAsync(facts, receipt, new EgressFileRange(fetchId, file.Size, file.Sha256, start, length)).ConfigureAwait(false);
        return Results.Empty;
    }

    // The request decided again now, without logging it (the query's decision is the one logged): the obligations the
    // attestation names, or null when the agreement version that permitted the query no longer does.
    private static async Task<IReadOnlyList<string>?> ObligationsNowAsync(DeltaSharingServices services, TokenRecord token, FileUrl url)
    {
        var identity = await services.Store.FindIdentityAsync(token.ClientId, services.Context.RequestAborted).ConfigureAwait(false);
        var snapshot = services.Policy.Current;
        var decision = snapshot.Index.Decide(new DecisionRequest(url.Recipient, DataAction.ReadRows, url.Dataset, token.Purpose, token.Jurisdiction, null, services.Journal.Now, identity?.Role));
        return decision.IsPermit && snapshot.Find(decision.Agreements[0]).Digest == url.AgreementDigest
            ? DecisionNames.ToEgressNames(decision.Obligations)
            : null;
    }

    private static async Task CopyAsync(string path, long start, long length, Stream destination, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
        source.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        var left = length;
        while (left > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            left -= read;
        }
    }

    // One range only (bytes=a-b, bytes=a-, bytes=-n); anything else is the whole file, as RFC 9110 §14.2 allows.
    private static (long Start, long Length, bool IsPartial) Range(string header, long size)
    {
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return (0, size, false);
        }

        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return (0, size, false);
        }

        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.Length == 0)
        {
            return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) && suffix > 0
                ? (Math.Max(0, size - suffix), Math.Min(suffix, size), true)
                : (0, -1, true);
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start >= size)
        {
            return (0, -1, true);
        }

        var end = last.Length == 0 ? size - 1 : long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? Math.Min(e, size - 1) : -1;
        return end < start ? (0, -1, true) : (start, end - start + 1, true);
    }
}
