using Concordat.Core;
using Concordat.Crypto;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// Keys pinned outside any agreement: the only keys signatures are checked against. A key written inside a document
/// vouches only for itself.
/// </summary>
/// <remarks>
/// The text form has one line per key, <c>signer-id verifier-key</c>; blank lines and lines starting with <c>#</c> are
/// ignored; a signer may have several keys (rotation). See docs/formats/signatures.md.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/signatures.md
public sealed class TrustedKeys
{
    private readonly Dictionary<SignerId, List<NoteVerifierKey>> _keys;

    private TrustedKeys(Dictionary<SignerId, List<NoteVerifierKey>> keys) => _keys = keys;

    /// <summary>Gets a set with no keys.</summary>
    public static TrustedKeys Empty { get; } = new([]);

    /// <summary>Gets every signer with at least one pinned key.</summary>
    public IEnumerable<SignerId> Signers => _keys.Keys;

    /// <summary>Builds a set from pairs of signer and key.</summary>
    /// <param name="keys">The pinned keys.</param>
    /// <returns>The set.</returns>
    public static TrustedKeys From(IEnumerable<(SignerId Signer, NoteVerifierKey Key)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var map = new Dictionary<SignerId, List<NoteVerifierKey>>();
        foreach (var (signer, key) in keys)
        {
            if (!map.TryGetValue(signer, out var list))
            {
                map[signer] = list = [];
            }

            if (!list.Contains(key))
            {
                list.Add(key);
            }
        }

        return new TrustedKeys(map);
    }

    /// <summary>Reads the text form; malformed lines are reported and skipped.</summary>
    /// <param name="text">The file contents.</param>
    /// <param name="fileName">The file name diagnostics name.</param>
    /// <param name="diagnostics">Every problem found (AGR3108).</param>
    /// <returns>The keys that could be read.</returns>
    public static TrustedKeys Read(string text, string fileName, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<Diagnostic>();
        var pairs = new List<(SignerId, NoteVerifierKey)>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var span = new SourceSpan(fileName, i + 1, 1, i + 1, lines[i].Length + 1);
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                problems.Add(AgreementDiagnosticCodes.TrustedKeysInvalid.Error("a trusted key line has two fields: `signer-id verifier-key`", span, "write the signer's party or approver id, a space, and its `.pub` key"));
                continue;
            }

            if (!NoteKey.TryParseVerifierKey(parts[1], out var key, out var error))
            {
                problems.Add(AgreementDiagnosticCodes.TrustedKeysInvalid.Error($"key of `{parts[0]}` is not a verifier key: {error}", span, "paste the `.pub` file written by `concordat key new`"));
                continue;
            }

            pairs.Add((new SignerId(parts[0]), key));
        }

        diagnostics = problems;
        return From(pairs);
    }

    /// <summary>Gets the keys pinned for <paramref name="signer"/>; empty when none.</summary>
    /// <param name="signer">The signer.</param>
    /// <returns>The pinned keys.</returns>
    public IReadOnlyList<NoteVerifierKey> KeysFor(SignerId signer) => _keys.TryGetValue(signer, out var list) ? list : [];
}
