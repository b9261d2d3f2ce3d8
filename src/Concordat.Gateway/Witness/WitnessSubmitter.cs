using System.Globalization;
using System.Text;
using Concordat.Gateway.Transparency;
using Concordat.Merkle;
using Concordat.Notes;
using Concordat.Witness;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Witness;

/// <summary>
/// Submits each new signed checkpoint to the workspace's witnesses (C2SP tlog-witness <c>add-checkpoint</c>), with a
/// consistency proof from the last checkpoint each cosigned, and publishes it with their cosignatures once the policy's
/// number of them verified.
/// </summary>
/// <remarks>
/// A witness that does not answer is tried again every interval; until enough witnesses cosign, <c>/tlog/checkpoint</c>
/// keeps serving the checkpoint published before. The size each witness cosigned last is learnt from its 409 answer
/// (it starts at 0), so a gateway restart needs no state of its own.
/// </remarks>
internal sealed partial class WitnessSubmitter(WitnessSettings settings, PublishedCheckpoint published, ILogReader reader, TimeProvider time, ILogger<WitnessSubmitter> logger) : BackgroundService
{
    private const string SizeContentType = "text/x.tlog.size";
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(10);
    private readonly WitnessProgress[] _witnesses = [.. settings.Witnesses.Select(w => new WitnessProgress(w))];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.IsWitnessed)
        {
            return;
        }

        using var client = new HttpClient { Timeout = s_requestTimeout };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SubmitLatestAsync(client, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Invariant: a failing round (the log refusing to sign, a store error) never stops witnessing; it is
                // reported and the next round tries again.
                LogMessages.WitnessRoundFailed(logger, ex.GetType().Name, ex.Message);
            }

            try
            {
                await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task SubmitLatestAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var checkpoint = await reader.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var pending = _witnesses.Where(w => w.CosignatureFor(checkpoint) is null).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        await Task.WhenAll(pending.Select(w => SubmitAsync(client, w, checkpoint, cancellationToken))).ConfigureAwait(false);
        var cosignatures = _witnesses.Select(w => w.CosignatureFor(checkpoint)).OfType<NoteSignature>().ToList();
        if (cosignatures.Count >= settings.Cosignatures)
        {
            var note = checkpoint.SignedNote + string.Concat(cosignatures.Select(c => c + "\n"));
            published.Publish(checkpoint.TreeSize, note, cosignatures.Count);
        }
    }

    private async Task SubmitAsync(HttpClient client, WitnessProgress witness, LogCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        // Two attempts: the first may learn from a 409 the size the witness cosigned last.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var oldSize = witness.CosignedSize;
            if (oldSize > checkpoint.TreeSize)
            {
                // Security: the witness holds a larger tree than the log: the log lost entries or forked. Never
                // "repair" this by submitting from 0; the operator must look.
                witness.ReportAheadOnce(() => LogMessages.WitnessAhead(logger, witness.Name, oldSize, checkpoint.TreeSize));
                return;
            }

            var proof = await reader.ProveConsistencyAsync(oldSize, checkpoint.TreeSize, cancellationToken).ConfigureAwait(false);
            var body = new AddCheckpointRequest(oldSize, [.. proof.Select(h => MerkleHash.FromBytes(h))], Encoding.UTF8.GetBytes(checkpoint.SignedNote)).ToBytes();
            HttpResponseMessage response;
            try
            {
                using var content = new ByteArrayContent(body);
                response = await client.PostAsync(new Uri(witness.Endpoint.Prefix, "add-checkpoint"), content, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                witness.MarkUnreachable(() => LogMessages.WitnessUnreachable(logger, witness.Name, ex.Message));
                return;
            }

            using (response)
            {
                witness.MarkReachable(() => LogMessages.WitnessReachable(logger, witness.Name));
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Accept(witness, checkpoint, text);
                    return;
                }

                // Spec: a 409 with text/x.tlog.size names the size the witness cosigned last; resubmit from it.
                if (response.StatusCode == System.Net.HttpStatusCode.Conflict && response.Content.Headers.ContentType?.MediaType == SizeContentType
                    && long.TryParse(text.TrimEnd('\n'), NumberStyles.None, CultureInfo.InvariantCulture, out var latest) && latest != oldSize)
                {
                    witness.CosignedSize = latest;
                    continue;
                }

                LogMessages.WitnessRefused(logger, witness.Name, checkpoint.TreeSize, (int)response.StatusCode, Shorten(text));
                return;
            }
        }
    }

    private void Accept(WitnessProgress witness, LogCheckpoint checkpoint, string lines)
    {
        // Spec: the client MUST ignore cosignatures from unknown keys; appended to the checkpoint, the answer is a note
        // whose signatures by the witness's pinned key are the ones kept.
        var opened = SignedNote.Open(Encoding.UTF8.GetBytes(checkpoint.SignedNote + lines), [witness.Endpoint.Verifier]);
        var cosignature = opened.IsVerified && opened.VerifiedSignatures.Count > 0 ? opened.VerifiedSignatures[0] : null;
        if (cosignature is null)
        {
            LogMessages.WitnessRefused(logger, witness.Name, checkpoint.TreeSize, 200, "the answer holds no cosignature that verifies with the witness's pinned key");
            return;
        }

        witness.Cosigned(checkpoint, cosignature);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text.ReplaceLineEndings(" ") : text[..300].ReplaceLineEndings(" ") + "…";

    /// <summary>What the gateway knows of one witness: the size it cosigned last and its cosignature of the latest checkpoint.</summary>
    private sealed class WitnessProgress(WitnessEndpoint endpoint)
    {
        private (long TreeSize, string Note, NoteSignature Cosignature)? _cosigned;
        private bool _isUnreachable;
        private bool _isAheadReported;

        public WitnessEndpoint Endpoint => endpoint;

        public string Name => endpoint.Verifier.Name;

        public long CosignedSize { get; set; }

        public NoteSignature? CosignatureFor(LogCheckpoint checkpoint) =>
            _cosigned is { } c && c.TreeSize == checkpoint.TreeSize && c.Note == checkpoint.SignedNote ? c.Cosignature : null;

        public void Cosigned(LogCheckpoint checkpoint, NoteSignature cosignature)
        {
            CosignedSize = checkpoint.TreeSize;
            _cosigned = (checkpoint.TreeSize, checkpoint.SignedNote, cosignature);
        }

        // A witness that is down is reported when it goes down and when it is back, not every interval.
        public void MarkUnreachable(Action report)
        {
            if (!_isUnreachable)
            {
                _isUnreachable = true;
                report();
            }
        }

        public void ReportAheadOnce(Action report)
        {
            if (!_isAheadReported)
            {
                _isAheadReported = true;
                report();
            }
        }

        public void MarkReachable(Action report)
        {
            if (_isUnreachable)
            {
                _isUnreachable = false;
                report();
            }
        }
    }
}
