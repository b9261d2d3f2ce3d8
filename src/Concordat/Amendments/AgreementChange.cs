namespace Concordat.Amendments;

/// <summary>
/// One change between two versions of an agreement.
/// </summary>
/// <param name="Class">Whether the change widens, narrows or neither.</param>
/// <param name="Clause">The clause id the change is in, or the agreement section (`parties`, `retention`, …) when not in a clause.</param>
/// <param name="Aspect">What changed: `grant`, `purposes`, `field ssn`, `window`, ….</param>
/// <param name="Description">The change in a sentence, with the old and new values.</param>
// CAUTION: persisted/public format (`agreement diff --json`); see docs/cli.md
public sealed record AgreementChange(ChangeClass Class, string Clause, string Aspect, string Description);
