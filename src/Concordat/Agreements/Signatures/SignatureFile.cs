using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;
using Concordat.Crypto;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// Reads and writes the signature file that sits next to an agreement (<c>NAME.sigs.json</c> for <c>NAME.yaml</c>).
/// </summary>
// CAUTION: persisted/public format; see docs/formats/signatures.md
public static class SignatureFile
{
    /// <summary>The value of the <c>format</c> member.</summary>
    public const string Format = "concordat-agreement-signatures/v1";

    /// <summary>The file name suffix that replaces <c>.yaml</c>.</summary>
    public const string Suffix = ".sigs.json";

    // Security: relaxed escaping only keeps `+` in key references readable; the files are never embedded in HTML.
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Gives the signature file path of an agreement file: <c>dir/name.yaml</c> becomes <c>dir/name.sigs.json</c>.</summary>
    /// <param name="agreementPath">The agreement file path.</param>
    /// <returns>The signature file path.</returns>
    public static string PathFor(string agreementPath) => SiblingPath(agreementPath, Suffix);

    /// <summary>Reads a signature file; malformed entries are reported (AGR3101) and skipped.</summary>
    /// <param name="text">The file contents.</param>
    /// <param name="fileName">The file name diagnostics name.</param>
    /// <param name="diagnostics">Every problem found.</param>
    /// <returns>The signatures that could be read.</returns>
    public static IReadOnlyList<AgreementSignature> Read(string text, string fileName, out IReadOnlyList<Diagnostic> diagnostics)
    {
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        var root = ParseObject(text, fileName, Format, problems);
        var result = new List<AgreementSignature>();
        if (root is null)
        {
            return result;
        }

        foreach (var (item, index) in Items(root, "signatures", fileName, problems))
        {
            var where = $"signature {index + 1}";
            var signer = StringMember(item, "signer", fileName, where, problems);
            var agreement = StringMember(item, "agreement", fileName, where, problems);
            var version = IntMember(item, "version", fileName, where, problems);
            var digest = DigestMember(item, "digest", fileName, where, problems);
            var key = KeyMember(item, fileName, where, problems);
            var signature = SignatureMember(item, fileName, where, problems);
            if (signer is not null && agreement is not null && version is not null && digest is not null && key is not null && signature is not null)
            {
                result.Add(new AgreementSignature(new SignerId(signer), new AgreementId(agreement), version.Value, digest.Value, key.Value.Name, key.Value.Id, signature));
            }
        }

        return result;
    }

    /// <summary>Writes a signature file, signatures ordered by signer then digest, so the file diffs well.</summary>
    /// <param name="signatures">The signatures.</param>
    /// <returns>The file contents, ending with a newline.</returns>
    public static string Write(IEnumerable<AgreementSignature> signatures)
    {
        var array = new JsonArray();
        foreach (var s in signatures.OrderBy(s => s.Signer.Value, StringComparer.Ordinal).ThenBy(s => s.Digest.Hex, StringComparer.Ordinal))
        {
            array.Add(new JsonObject
            {
                ["signer"] = s.Signer.Value,
                ["agreement"] = s.Agreement.Value,
                ["version"] = s.Version,
                ["digest"] = s.Digest.ToString(),
                ["key"] = KeyText(s.KeyName, s.KeyId),
                ["signature"] = s.Signature,
            });
        }

        return new JsonObject { ["format"] = Format, ["signatures"] = array }.ToJsonString(s_indented) + "\n";
    }

    /// <summary>Writes the <c>name+hash</c> key reference.</summary>
    internal static string KeyText(string name, uint id) => string.Create(CultureInfo.InvariantCulture, $"{name}+{id:x8}");

    internal static string SiblingPath(string agreementPath, string suffix)
    {
        var folder = Path.GetDirectoryName(agreementPath) ?? string.Empty;
        var name = Path.GetFileName(agreementPath);
        foreach (var extension in new[] { ".yaml", ".yml" })
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^extension.Length];
                break;
            }
        }

        return Path.Combine(folder, name + suffix);
    }

    internal static JsonObject? ParseObject(string text, string fileName, string format, List<Diagnostic> problems)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            problems.Add(Problem(fileName, $"not valid JSON: {ex.Message.Split('.')[0].ToLowerInvariant()}"));
            return null;
        }

        if (node is not JsonObject root)
        {
            problems.Add(Problem(fileName, "expected a JSON object"));
            return null;
        }

        if (root["format"]?.GetValueKind() != JsonValueKind.String || (string?)root["format"] != format)
        {
            problems.Add(Problem(fileName, $"`format` must be `{format}`"));
            return null;
        }

        return root;
    }

    internal static IEnumerable<(JsonObject Item, int Index)> Items(JsonObject root, string member, string fileName, List<Diagnostic> problems)
    {
        if (root[member] is not JsonArray array)
        {
            problems.Add(Problem(fileName, $"`{member}` must be an array"));
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject item)
            {
                yield return (item, i);
            }
            else
            {
                problems.Add(Problem(fileName, $"`{member}` item {i + 1} must be an object"));
            }
        }
    }

    internal static string? StringMember(JsonObject item, string member, string fileName, string where, List<Diagnostic> problems)
    {
        if (item[member] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add(Problem(fileName, $"{where}: `{member}` must be a non-empty string"));
        return null;
    }

    internal static int? IntMember(JsonObject item, string member, string fileName, string where, List<Diagnostic> problems)
    {
        if (item[member] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) && number >= 1)
        {
            return number;
        }

        problems.Add(Problem(fileName, $"{where}: `{member}` must be a positive integer"));
        return null;
    }

    internal static Sha256Digest? DigestMember(JsonObject item, string member, string fileName, string where, List<Diagnostic> problems)
    {
        var text = StringMember(item, member, fileName, where, problems);
        if (text is null)
        {
            return null;
        }

        if (Sha256Digest.TryParse(text, out var digest))
        {
            return digest;
        }

        problems.Add(Problem(fileName, $"{where}: `{member}` must be `sha256:` and 64 lowercase hex digits"));
        return null;
    }

    internal static (string Name, uint Id)? KeyMember(JsonObject item, string fileName, string where, List<Diagnostic> problems)
    {
        var text = StringMember(item, "key", fileName, where, problems);
        if (text is null)
        {
            return null;
        }

        var parts = text.Split('+');
        if (parts.Length == 2 && NoteKey.IsValidName(parts[0]) && parts[1].Length == 8
            && uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            return (parts[0], id);
        }

        problems.Add(Problem(fileName, $"{where}: `key` must be `name+hash` (8 hex digits)"));
        return null;
    }

    internal static string? SignatureMember(JsonObject item, string fileName, string where, List<Diagnostic> problems)
    {
        var text = StringMember(item, "signature", fileName, where, problems);
        if (text is null)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[Ed25519PrivateKey.SignatureSize + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written == Ed25519PrivateKey.SignatureSize)
        {
            return text;
        }

        problems.Add(Problem(fileName, $"{where}: `signature` must be 64 bytes in standard base64"));
        return null;
    }

    private static Diagnostic Problem(string fileName, string message) =>
        AgreementDiagnosticCodes.SignatureFileInvalid.Error($"`{fileName}`: {message}", null, "write the file with `concordat agreement sign`; see docs/formats/signatures.md");
}
