namespace Concordat.Gateway.Tokens;

/// <summary>An issued token. The bearer value appears here once and is stored only as a hash.</summary>
/// <param name="Token">The bearer value, <c>cdt_</c> and 256 random bits.</param>
/// <param name="TokenId">The public id, for revocation.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="ExpiresIn">Seconds until then.</param>
/// <param name="DecisionId">The permit decision it carries out.</param>
/// <param name="Agreement">The agreement in force.</param>
/// <param name="AgreementDigest">Its digest.</param>
/// <param name="Clause">The grant that permits.</param>
internal sealed record TokenResponse(string Token, string TokenId, string TokenType, DateTimeOffset ExpiresAt, long ExpiresIn, string DecisionId, string Agreement, string AgreementDigest, string Clause);
