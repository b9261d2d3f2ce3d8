namespace Concordat.Store.Registry;

/// <summary>
/// One signature over an agreement version, kept as uploaded so that it can be checked again at any time.
/// </summary>
/// <param name="KeyName">The name of the signing key (the note key name).</param>
/// <param name="Signature">The signature as uploaded.</param>
public sealed record AgreementSignatureRecord(string KeyName, string Signature);
