namespace Concordat.Decisions;

/// <summary>
/// A request with its ids interned: what compiled conditions read. Built on the stack for each decision.
/// </summary>
/// <param name="ActionBit">The action as a bit (<c>1 &lt;&lt; action</c>).</param>
/// <param name="Purpose">The interned purpose.</param>
/// <param name="Jurisdiction">The interned jurisdiction, or -1 for a code no agreement names.</param>
/// <param name="Subprocessor">The interned subprocessor, -1 for one no agreement names, or <see cref="CompiledGrant.NoSubprocessor"/>.</param>
/// <param name="Role">The role as an integer, or -1 when no identity asks.</param>
/// <param name="Ticks">The request's time in UTC ticks.</param>
internal readonly record struct RequestFacts(int ActionBit, int Purpose, int Jurisdiction, int Subprocessor, int Role, long Ticks);
