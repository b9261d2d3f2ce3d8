namespace Concordat.Gateway.Problems;

/// <summary>What <c>GET /errors/{code}</c> answers: the code's words from its table.</summary>
/// <param name="Code">The code, such as <c>GW6001</c>.</param>
/// <param name="Title">A few words naming the problem; for a GW code, the title of its problems.</param>
/// <param name="Meaning">What the code means.</param>
/// <param name="Fix">What to do about it.</param>
/// <param name="Status">The HTTP status of a GW code's problems; absent for other codes.</param>
internal sealed record ErrorCodeView(string Code, string Title, string Meaning, string Fix, int? Status);
