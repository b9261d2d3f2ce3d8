namespace Concordat.Store.Revocation;

/// <summary>What a <see cref="RevocationNotice"/> announces.</summary>
public enum RevocationKind
{
    /// <summary>A recipient was sealed: its tokens and identities are revoked and its streams must stop.</summary>
    Seal,

    /// <summary>The seal on a recipient was lifted (its revoked credentials stay revoked).</summary>
    Unseal,

    /// <summary>One token was revoked: the streams opened with it must stop.</summary>
    TokenRevoked,

    /// <summary>An agreement version was activated (superseding the one before) or terminated: the agreements in force must be read again.</summary>
    AgreementChanged,
}
