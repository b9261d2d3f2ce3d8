using System.Security.Cryptography;
using Concordat.Crypto;

namespace Concordat.Attestations;

/// <summary>
/// A key an attestation verifier trusts: the key id signatures name it by, and the check of one signature.
/// </summary>
/// <remarks>
/// Concordat signs with Ed25519 only; ECDSA P-256 keys are accepted for verifying envelopes others wrote, such as
/// the DSSE specification's test vector.
/// </remarks>
public sealed class DsseVerifierKey
{
    private readonly Func<byte[], ReadOnlyMemory<byte>, bool> _verify;

    private DsseVerifierKey(string keyId, Func<byte[], ReadOnlyMemory<byte>, bool> verify)
    {
        KeyId = keyId;
        _verify = verify;
    }

    /// <summary>Gets the key id a signature names this key by.</summary>
    public string KeyId { get; }

    /// <summary>Trusts a Concordat key: Ed25519, named <c>name+hash</c> as <see cref="Attestation.KeyIdOf"/> writes it.</summary>
    /// <param name="key">The verifier key.</param>
    /// <returns>The trusted key.</returns>
    public static DsseVerifierKey FromNoteKey(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new DsseVerifierKey(Attestation.KeyIdOf(key), (message, signature) => key.PublicKey.Verify(message, signature.Span));
    }

    /// <summary>Trusts an ECDSA key over P-256 with SHA-256, signatures as the raw concatenation of r and s.</summary>
    /// <param name="keyId">The key id signatures name it by (empty to match signatures without one).</param>
    /// <param name="x">The public point's x coordinate, 32 bytes big-endian.</param>
    /// <param name="y">The public point's y coordinate, 32 bytes big-endian.</param>
    /// <returns>The trusted key.</returns>
    public static DsseVerifierKey FromEcdsaP256(string keyId, byte[] x, byte[] y)
    {
        var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };
        parameters.Validate();
        return new DsseVerifierKey(keyId, (message, signature) =>
        {
            using var ecdsa = ECDsa.Create(parameters);
            return ecdsa.VerifyData(message, signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        });
    }

    /// <summary>Checks one signature over <paramref name="pae"/>.</summary>
    /// <param name="pae">The PAE bytes.</param>
    /// <param name="signature">The signature.</param>
    /// <returns><see langword="true"/> when it verifies.</returns>
    internal bool Verify(byte[] pae, ReadOnlyMemory<byte> signature) => _verify(pae, signature);

    /// <inheritdoc/>
    public override string ToString() => KeyId;
}
