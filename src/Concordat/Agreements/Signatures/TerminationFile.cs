using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;
using Concordat.Crypto;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// Reads, writes, signs and checks termination records (<c>NAME.termination.json</c> next to <c>NAME.yaml</c>).
/// </summary>
// CAUTION: persisted/public format; see docs/formats/signatures.md#termination
public static class TerminationFile
{
    /// <summary>The value of the <c>format</c> member.</summary>
    public const string Format = "concordat-agreement-termination/v1";

    /// <summary>The file name suffix that replaces <c>.yaml</c>.</summary>
    public const string Suffix = ".termination.json";

    // Security: relaxed escaping only keeps `+` in key references readable; the files are never embedded in HTML.
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Gives the termination record path of an agreement file.</summary>
    /// <param name="agreementPath">The agreement file path.</param>
    /// <returns>The termination record path.</returns>
    public static string PathFor(string agreementPath) => SignatureFile.SiblingPath(agreementPath, Suffix);

    /// <summary>Makes a termination record signed by one party.</summary>
    /// <param name="agreement">The agreement to terminate.</param>
    /// <param name="effectiveAt">When the termination takes effect.</param>
    /// <param name="signer">The party id signing.</param>
    /// <param name="key">The party's private key.</param>
    /// <returns>The record.</returns>
    public static TerminationRecord Create(Agreement agreement, DateTimeOffset effectiveAt, SignerId signer, NoteSignerKey key)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(key);
        var digest = AgreementDigest.Compute(agreement);
        var signature = key.PrivateKey.Sign(SignatureMessages.ForTermination(agreement.Id, agreement.Version, digest, effectiveAt));
        return new TerminationRecord(agreement.Id, agreement.Version, digest, effectiveAt, [new TerminationSignature(signer, key.Name, key.KeyId, Convert.ToBase64String(signature))]);
    }

    /// <summary>Checks that a record is about <paramref name="agreement"/> and signed by at least one party with a pinned key.</summary>
    /// <param name="record">The record.</param>
    /// <param name="agreement">The agreement it claims to terminate.</param>
    /// <param name="trusted">The pinned keys.</param>
    /// <returns>Null when the record holds; otherwise why not (AGR3109).</returns>
    public static Diagnostic? Check(TerminationRecord record, Agreement agreement, TrustedKeys trusted)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(trusted);
        var digest = AgreementDigest.Compute(agreement);
        if (record.Agreement != agreement.Id || record.Version != agreement.Version || record.Digest != digest)
        {
            return Problem($"the termination record is for `{record.Agreement}` version {record.Version} (`{record.Digest}`), not this document");
        }

        var message = SignatureMessages.ForTermination(record.Agreement, record.Version, record.Digest, record.EffectiveAt);
        var parties = agreement.Parties.Select(p => new SignerId(p.Id.Value)).ToHashSet();
        foreach (var signature in record.Signatures.Where(s => parties.Contains(s.Signer)))
        {
            if (trusted.KeysFor(signature.Signer).Any(k => k.Name == signature.KeyName && k.KeyId == signature.KeyId && AgreementSigner.IsValid(message, signature.Signature, k)))
            {
                return null;
            }
        }

        return Problem("the termination record has no valid signature by a party with a pinned key");
    }

    /// <summary>
    /// Checks that a termination given at <paramref name="now"/> honours the agreement's notice period: it takes effect
    /// neither in the past nor earlier than <paramref name="now"/> plus <c>termination.noticeDays</c> (no notice when the
    /// agreement sets none).
    /// </summary>
    /// <param name="agreement">The agreement to terminate.</param>
    /// <param name="effectiveAt">When the termination would take effect.</param>
    /// <param name="now">When notice is given.</param>
    /// <returns>Null when the notice is honoured; otherwise why not (AGR3110).</returns>
    public static Diagnostic? CheckNotice(Agreement agreement, DateTimeOffset effectiveAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var days = agreement.Termination?.NoticeDays ?? 0;
        var earliest = now.AddDays(days);
        if (effectiveAt >= earliest)
        {
            return null;
        }

        var why = effectiveAt < now
            ? $"the termination of `{agreement.Id}` would take effect in the past ({Rfc3339.Format(effectiveAt)})"
            : $"the termination of `{agreement.Id}` would take effect at {Rfc3339.Format(effectiveAt)}, before its {days} days' notice end";
        return AgreementDiagnosticCodes.TerminationBeforeNotice.Error(why, null, $"take effect at {Rfc3339.Format(earliest)} or later");
    }

    /// <summary>Reads a termination record; returns null and reports (AGR3101) when malformed.</summary>
    /// <param name="text">The file contents.</param>
    /// <param name="fileName">The file name diagnostics name.</param>
    /// <param name="diagnostics">Every problem found.</param>
    /// <returns>The record, when well formed.</returns>
    public static TerminationRecord? Read(string text, string fileName, out IReadOnlyList<Diagnostic> diagnostics)
    {
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        var root = SignatureFile.ParseObject(text, fileName, Format, problems);
        if (root is null)
        {
            return null;
        }

        var agreement = SignatureFile.StringMember(root, "agreement", fileName, "record", problems);
        var version = SignatureFile.IntMember(root, "version", fileName, "record", problems);
        var digest = SignatureFile.DigestMember(root, "digest", fileName, "record", problems);
        var effectiveText = SignatureFile.StringMember(root, "effectiveAt", fileName, "record", problems);
        DateTimeOffset effectiveAt = default;
        if (effectiveText is not null && !Rfc3339.TryParseUtc(effectiveText, out effectiveAt, out var error))
        {
            problems.Add(AgreementDiagnosticCodes.SignatureFileInvalid.Error($"`{fileName}`: `effectiveAt`: {error}", null, null));
            effectiveText = null;
        }

        var signatures = new List<TerminationSignature>();
        foreach (var (item, index) in SignatureFile.Items(root, "signatures", fileName, problems))
        {
            var where = $"signature {index + 1}";
            var signer = SignatureFile.StringMember(item, "signer", fileName, where, problems);
            var key = SignatureFile.KeyMember(item, fileName, where, problems);
            var signature = SignatureFile.SignatureMember(item, fileName, where, problems);
            if (signer is not null && key is not null && signature is not null)
            {
                signatures.Add(new TerminationSignature(new SignerId(signer), key.Value.Name, key.Value.Id, signature));
            }
        }

        return agreement is null || version is null || digest is null || effectiveText is null || problems.Count > 0
            ? null
            : new TerminationRecord(new AgreementId(agreement), version.Value, digest.Value, effectiveAt, signatures);
    }

    /// <summary>Writes a termination record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The file contents, ending with a newline.</returns>
    public static string Write(TerminationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var signatures = new JsonArray();
        foreach (var s in record.Signatures.OrderBy(s => s.Signer.Value, StringComparer.Ordinal))
        {
            signatures.Add(new JsonObject { ["signer"] = s.Signer.Value, ["key"] = SignatureFile.KeyText(s.KeyName, s.KeyId), ["signature"] = s.Signature });
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["agreement"] = record.Agreement.Value,
            ["version"] = record.Version,
            ["digest"] = record.Digest.ToString(),
            ["effectiveAt"] = Rfc3339.Format(record.EffectiveAt),
            ["signatures"] = signatures,
        }.ToJsonString(s_indented) + "\n";
    }

    private static Diagnostic Problem(string message) =>
        AgreementDiagnosticCodes.TerminationInvalid.Error(message, null, "the termination is ignored; write it with `concordat agreement terminate` signed by a party");
}
