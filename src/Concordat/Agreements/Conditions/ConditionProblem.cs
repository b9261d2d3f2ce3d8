namespace Concordat.Agreements.Conditions;

/// <summary>A problem in a condition's text, at character offsets <see cref="Start"/> to <see cref="End"/>.</summary>
/// <param name="Message">What is wrong: lowercase, values in backticks.</param>
/// <param name="Start">The offset of the first character.</param>
/// <param name="End">The offset just past the last character.</param>
internal readonly record struct ConditionProblem(string Message, int Start, int End);
