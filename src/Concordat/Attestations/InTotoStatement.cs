using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;

namespace Concordat.Attestations;

/// <summary>
/// An in-toto Statement v1: the subjects an attestation is about, a predicate type and the predicate.
/// </summary>
/// <remarks>
/// Spec: <see href="https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md"/>. Concordat serializes a
/// statement as RFC 8785 canonical JSON, so the same statement always signs the same bytes.
/// </remarks>
/// <param name="Subjects">The subjects, at least one, each with a digest.</param>
/// <param name="PredicateType">The predicate type URI.</param>
/// <param name="Predicate">The predicate; an empty object when unset.</param>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public sealed record InTotoStatement(IReadOnlyList<AttestationSubject> Subjects, string PredicateType, JsonObject Predicate)
{
    /// <summary>The <c>_type</c> of every Statement v1.</summary>
    public const string Type = "https://in-toto.io/Statement/v1";

    /// <summary>The DSSE payload type of an in-toto statement.</summary>
    public const string PayloadType = "application/vnd.in-toto+json";

    /// <summary>Serializes the statement as RFC 8785 canonical JSON, the DSSE payload.</summary>
    /// <returns>The UTF-8 bytes.</returns>
    public byte[] ToPayload()
    {
        var subjects = new JsonArray();
        foreach (var subject in Subjects)
        {
            var digest = new JsonObject();
            foreach (var pair in subject.Digest)
            {
                digest[pair.Key] = pair.Value;
            }

            subjects.Add(new JsonObject { ["name"] = subject.Name, ["digest"] = digest });
        }

        var statement = new JsonObject
        {
            ["_type"] = Type,
            ["subject"] = subjects,
            ["predicateType"] = PredicateType,
            ["predicate"] = Predicate.DeepClone(),
        };
        return CanonicalJson.Canonicalize(statement);
    }

    /// <summary>Reads a statement, checking the Statement v1 rules (the predicate's own rules are its kind's).</summary>
    /// <param name="utf8Json">The payload bytes.</param>
    /// <param name="statement">The statement, when well formed.</param>
    /// <param name="error">The PRV5005 diagnostic, otherwise.</param>
    /// <returns><see langword="true"/> when the payload is a Statement v1.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out InTotoStatement? statement, [NotNullWhen(false)] out Diagnostic? error)
    {
        statement = null;
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { MaxDepth = CanonicalJson.MaxDepth }) as JsonObject;
        }
        catch (JsonException exception)
        {
            error = Malformed($"the payload is not JSON: {exception.Message}");
            return false;
        }

        if (root is null)
        {
            error = Malformed("the payload is not a JSON object");
            return false;
        }

        if (root["_type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type) || type != Type)
        {
            error = Malformed($"`_type` is not `{Type}`");
            return false;
        }

        if (root["predicateType"] is not JsonValue predicateTypeValue || !predicateTypeValue.TryGetValue<string>(out var predicateType) || predicateType.Length == 0)
        {
            error = Malformed("`predicateType` is missing or not a string");
            return false;
        }

        if (root["subject"] is not JsonArray subjectArray || subjectArray.Count == 0)
        {
            error = Malformed("`subject` is missing, not an array, or empty");
            return false;
        }

        var subjects = new List<AttestationSubject>();
        foreach (var item in subjectArray)
        {
            if (!TryParseSubject(item, subjects.Count, out var subject, out error))
            {
                return false;
            }

            subjects.Add(subject);
        }

        var predicate = root["predicate"] switch
        {
            null => new JsonObject(),
            JsonObject value => (JsonObject)value.DeepClone(),
            _ => null,
        };
        if (predicate is null)
        {
            error = Malformed("`predicate` is not an object");
            return false;
        }

        statement = new InTotoStatement(subjects, predicateType, predicate);
        error = null;
        return true;
    }

    private static bool TryParseSubject(JsonNode? item, int index, [NotNullWhen(true)] out AttestationSubject? subject, [NotNullWhen(false)] out Diagnostic? error)
    {
        subject = null;
        if (item is not JsonObject element || element["digest"] is not JsonObject digestObject || digestObject.Count == 0)
        {
            error = Malformed($"subject {index} has no digest");
            return false;
        }

        var name = element["name"] is JsonValue nameValue && nameValue.TryGetValue<string>(out var text) ? text : string.Empty;
        var digest = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in digestObject)
        {
            if (pair.Value is not JsonValue value || !value.TryGetValue<string>(out var hex))
            {
                error = Malformed($"digest `{pair.Key}` of subject {index} is not a string");
                return false;
            }

            digest[pair.Key] = hex;
        }

        subject = new AttestationSubject(name, digest);
        error = null;
        return true;
    }

    private static Diagnostic Malformed(string message) => AttestationErrorCodes.StatementMalformed.Error(message);
}
