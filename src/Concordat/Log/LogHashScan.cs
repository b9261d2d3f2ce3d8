namespace Concordat.Log;

/// <summary>One range scan of a <see cref="LogHashLookup"/>: the runs with <c>After &lt; start &lt;= Through</c>.</summary>
/// <param name="After">The scan starts after this run start.</param>
/// <param name="Through">The scan ends at this run start, included.</param>
public readonly record struct LogHashScan(long After, long Through);
