using Concordat.Core;

namespace Concordat.Attestations;

/// <summary>
/// The stable codes of the provenance family (PRV50xx: attestations, DSSE envelopes and in-toto statements), each
/// with its title, meaning and fix. docs/errors.md shows the same words.
/// </summary>
// CAUTION: persisted/public format (reported by the CLI and the gateway); see docs/errors.md
public static class AttestationErrorCodes
{
    #region PRV codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    public static readonly ErrorCode EnvelopeMalformed = new("PRV5001", "malformed envelope", "the text is not a DSSE envelope in the JSON form: not JSON, a member missing or of the wrong type, base64 not decodable, or no signature", "give the envelope exactly as it was written (`{\"payloadType\",\"payload\",\"signatures\"}`)");
    public static readonly ErrorCode PayloadTypeUnsupported = new("PRV5002", "payload type not in-toto", "the envelope's payload type is not `application/vnd.in-toto+json`: it was changed, or the envelope carries something other than an in-toto statement", "attestations carry in-toto statements; ask the signer for the envelope as it was signed");
    public static readonly ErrorCode KeyUnknown = new("PRV5003", "unknown key", "no signature of the envelope names a key the verifier trusts (by `keyid`)", "give the signer's verifier key (`name+hash+base64`), checked out of band");
    public static readonly ErrorCode SignatureInvalid = new("PRV5004", "signature does not verify", "a signature by a trusted key does not verify over the PAE of the payload type and payload: the payload, its type or the signature was changed after signing", "keep the envelope as evidence and ask the signer for the original");
    public static readonly ErrorCode StatementMalformed = new("PRV5005", "malformed statement", "the signed payload is not an in-toto Statement v1: not JSON, `_type` not `https://in-toto.io/Statement/v1`, no subject, a subject without a digest, or no `predicateType`", "sign an in-toto Statement v1");
    public static readonly ErrorCode PredicateTypeUnexpected = new("PRV5006", "unexpected predicate type", "the statement's predicate type is not the one the verifier asked for", "verify the attestation as the kind its predicate type names");
    public static readonly ErrorCode SubjectMismatch = new("PRV5007", "subject does not match", "the statement's subjects are not the artifacts checked: a name is missing, extra, or its SHA-256 digest differs (a swapped or changed subject)", "the attestation is about other bytes: check that the files are the ones attested, unchanged");
    public static readonly ErrorCode PredicateMalformed = new("PRV5008", "malformed predicate", "a Concordat predicate lacks a member its predicate type requires, or a member has the wrong type", "write the predicate as docs/formats/attestations.md specifies");
    public static readonly ErrorCode InputNotUsable = new("PRV5010", "input not usable", "a training input is not an egress, dataset version or model attestation, or names no agreement given for the model", "give each input as the envelope the gateway or `model register` wrote, and the agreements their digests name");
    public static readonly ErrorCode PurposeNotTraining = new("PRV5011", "purpose does not permit training", "a training input was obtained under a purpose that does not cover the model's purpose (data granted for evaluation only cannot feed a training run)", "train only on data granted for the model's purpose, or amend the agreement's grant");
    public static readonly ErrorCode OutsideAgreementWindow = new("PRV5012", "outside the agreement's window", "the model is registered outside the effective window of the agreement an input was obtained under", "register within the agreement's effective window, or under an amended agreement");
    public static readonly ErrorCode RetentionExpired = new("PRV5013", "retention expired", "a training input is older than the agreement's retention (`retention.daysAfterEgress`) allows at registration", "delete the data as the agreement requires; obtain it again to train");
    public static readonly ErrorCode ModelLicenceMissing = new("PRV5014", "model licence missing", "a training input has a licence, and the model declares none: its compatibility cannot be checked", "declare the model's licence (`--licence`, an SPDX expression)");
#pragma warning restore CS1591
    #endregion
}
