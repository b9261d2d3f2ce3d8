using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;
using Concordat.Crypto;

namespace Concordat.Notes;

/// <summary>
/// A C2SP signed note: a text ending in a newline, a blank line, and one or more signature lines.
/// </summary>
/// <param name="Text">The note text, including its final newline and excluding the blank separator line.</param>
/// <param name="Signatures">The signature lines, in note order.</param>
/// <remarks>
/// Spec: <see href="https://c2sp.org/signed-note"/>. Parsing is strict: the whole note MUST be valid UTF-8 with no
/// control characters other than newline, signature lines MUST be <c>— name base64</c> with canonical base64 of at
/// least five bytes, and at most <see cref="MaxSignatures"/> signatures are read.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/checkpoint.md
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    /// <summary>The most signature lines a note may carry; the spec asks verifiers to accept at least 16.</summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "\u2014 ";
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses a signed note without checking any signature.</summary>
    /// <param name="note">The note bytes.</param>
    /// <param name="parsed">The note, when well formed.</param>
    /// <param name="error">Why the note is malformed, when it is.</param>
    /// <returns><see langword="true"/> when the note is well formed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> note, [NotNullWhen(true)] out SignedNote? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (!IsValidNoteBytes(note, out error))
        {
            return false;
        }

        // Spec: the text is separated from the signatures by the last empty line in the note.
        var split = note.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            error = "a signed note has a blank line between its text and its signatures";
            return false;
        }

        var signatureBlock = note[(split + 2)..];
        if (signatureBlock.IsEmpty || signatureBlock[^1] != (byte)'\n')
        {
            error = "a signed note ends with signature lines, each ending in a newline";
            return false;
        }

        var lines = Encoding.UTF8.GetString(signatureBlock[..^1]).Split('\n');
        if (lines.Length > MaxSignatures)
        {
            error = $"the note has {lines.Length} signatures; at most {MaxSignatures} are accepted";
            return false;
        }

        var signatures = new List<NoteSignature>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!TryParseSignatureLine(lines[i], out var signature, out var lineError))
            {
                error = $"signature line {i + 1}: {lineError}";
                return false;
            }

            signatures.Add(signature);
        }

        parsed = new SignedNote(Encoding.UTF8.GetString(note[..(split + 1)]), signatures);
        return true;
    }

    /// <summary>Parses a signed note and checks its signatures against the known verifiers.</summary>
    /// <param name="note">The note bytes.</param>
    /// <param name="verifiers">The known keys. Signatures by other keys are ignored.</param>
    /// <returns>Verified when at least one known key's signature verifies and none fails; otherwise why not.</returns>
    /// <exception cref="ArgumentException">Two verifiers share a key name and key ID.</exception>
    /// <remarks>
    /// Spec: c2sp.org/signed-note §Signatures — signatures from unknown keys are ignored even when they share a name
    /// or an ID (but not both) with a known key; a known key's signature that fails rejects the whole note; a repeated
    /// signature by one key is checked once.
    /// </remarks>
    public static NoteVerification Open(ReadOnlySpan<byte> note, IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        var known = new Dictionary<(string Name, uint KeyId), NoteVerifier>();
        foreach (var verifier in verifiers)
        {
            if (!known.TryAdd((verifier.Name, verifier.KeyId), verifier))
            {
                throw new ArgumentException($"two verifiers share the key `{verifier}`", nameof(verifiers));
            }
        }

        if (!TryParse(note, out var parsed, out var error))
        {
            return NoteVerification.Malformed(error);
        }

        var text = s_strictUtf8.GetBytes(parsed.Text);
        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var seen = new HashSet<(string, uint)>();
        foreach (var signature in parsed.Signatures)
        {
            if (!known.TryGetValue((signature.Name, signature.KeyId), out var verifier))
            {
                if (!unverified.Contains(signature))
                {
                    unverified.Add(signature);
                }

                continue;
            }

            if (!seen.Add((signature.Name, signature.KeyId)))
            {
                continue;
            }

            // Security: fail closed — one bad signature by a key the caller trusts means the note was tampered with.
            if (!verifier.Verify(text, signature.GetSignatureBytes()))
            {
                return NoteVerification.NotVerified(NoteFailure.InvalidSignature, $"the signature by `{verifier}` does not verify", parsed, unverified);
            }

            verified.Add(signature);
        }

        return verified.Count > 0
            ? NoteVerification.Verified(parsed, verified, unverified)
            : NoteVerification.NotVerified(NoteFailure.NoKnownSignature, "no signature is by a known key", parsed, unverified);
    }

    /// <summary>Signs a note text.</summary>
    /// <param name="text">The note text; it MUST end in a newline and contain no control characters but newlines.</param>
    /// <param name="signers">One or more signers.</param>
    /// <returns>The signed note.</returns>
    /// <exception cref="ArgumentException">The text cannot be a note text, or there is no signer.</exception>
    public static SignedNote Sign(string text, params IReadOnlyList<NoteSigner> signers) => new SignedNote(text, []).AddSignatures(signers);

    /// <summary>Checks that a text can be the text of a signed note.</summary>
    /// <param name="text">The candidate text.</param>
    /// <param name="error">Why not, when it cannot.</param>
    /// <returns><see langword="true"/> when the text is non-empty, ends in a newline and has no other control characters.</returns>
    public static bool IsValidText(string text, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes;
        try
        {
            bytes = s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            error = "the text is not valid Unicode";
            return false;
        }

        if (!IsValidNoteBytes(bytes, out error))
        {
            return false;
        }

        if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
        {
            error = "a note text ends with a newline";
            return false;
        }

        return true;
    }

    /// <summary>Adds signatures; an existing signature by the same key name and ID is replaced.</summary>
    /// <param name="signers">One or more signers, for example a partner's cosigner.</param>
    /// <returns>A new note with the existing signatures first, then the new ones.</returns>
    /// <exception cref="ArgumentException">The text cannot be a note text, or there is no signer.</exception>
    public SignedNote AddSignatures(params IReadOnlyList<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(signers);
        if (signers.Count == 0)
        {
            throw new ArgumentException("a note needs at least one signer", nameof(signers));
        }

        if (!IsValidText(Text, out var error))
        {
            throw new ArgumentException(error, nameof(signers));
        }

        var text = s_strictUtf8.GetBytes(Text);
        var replaced = signers.Select(s => (s.Name, s.KeyId)).ToHashSet();
        var signatures = Signatures.Where(s => !replaced.Contains((s.Name, s.KeyId))).ToList();
        signatures.AddRange(signers.Select(s => s.Sign(text)));
        if (signatures.Count > MaxSignatures)
        {
            throw new ArgumentException($"a note carries at most {MaxSignatures} signatures", nameof(signers));
        }

        return this with { Signatures = signatures };
    }

    /// <summary>Renders the note: text, blank line, one line per signature.</summary>
    /// <returns>The note text.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder(Text).Append('\n');
        foreach (var signature in Signatures)
        {
            builder.Append(signature).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Renders the note as UTF-8 bytes.</summary>
    /// <returns>The note bytes.</returns>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());

    private static bool IsValidNoteBytes(ReadOnlySpan<byte> bytes, [NotNullWhen(false)] out string? error)
    {
        // Spec: signed notes MUST be valid UTF-8 and MUST NOT contain ASCII control characters other than newline.
        if (!Utf8.IsValid(bytes))
        {
            error = "the note is not valid UTF-8";
            return false;
        }

        var control = bytes.IndexOfAnyInRange((byte)0x00, (byte)0x1f);
        while (control >= 0 && bytes[control] == (byte)'\n')
        {
            var next = bytes[(control + 1)..].IndexOfAnyInRange((byte)0x00, (byte)0x1f);
            control = next < 0 ? -1 : control + 1 + next;
        }

        if (control >= 0)
        {
            error = $"the note contains control character 0x{bytes[control]:x2}; only newlines are allowed";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParseSignatureLine(string line, [NotNullWhen(true)] out NoteSignature? signature, [NotNullWhen(false)] out string? error)
    {
        signature = null;
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            error = "a signature line starts with an em dash and a space";
            return false;
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            error = "a signature line is `— <key name> <base64 signature>`";
            return false;
        }

        var name = rest[..space];
        if (!NoteKey.IsValidName(name))
        {
            error = $"key name `{name}` is empty or contains a space or `+`";
            return false;
        }

        if (!StrictBase64.TryDecode(rest[(space + 1)..], out var bytes) || bytes.Length < 5)
        {
            error = $"the signature by `{name}` is not canonical base64 of a key ID and a signature";
            return false;
        }

        signature = new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), rest[(space + 1)..]);
        error = null;
        return true;
    }
}
