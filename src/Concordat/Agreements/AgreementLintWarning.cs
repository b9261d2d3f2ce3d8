using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>One warning of <c>concordat agreement lint</c>: the diagnostic, and the clause it is about when it is about one.</summary>
/// <param name="Diagnostic">The warning: its code, message, place and help.</param>
/// <param name="Clause">The grant or prohibition it is about; <see langword="null"/> for a warning about the agreement as a whole.</param>
// CAUTION: persisted/public format (`agreement lint --json`, the evidence pack's reports/lint.json); see docs/cli.md
public sealed record AgreementLintWarning(Diagnostic Diagnostic, ClauseId? Clause);
