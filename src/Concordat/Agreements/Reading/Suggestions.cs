namespace Concordat.Agreements.Reading;

/// <summary>
/// "Did you mean" suggestions by edit distance, for unknown keys and values.
/// </summary>
internal static class Suggestions
{
    /// <summary>Finds the closest candidate within a small edit distance, ignoring case, when there is one.</summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= Math.Max(1, given.Length / 3) ? best : null;
    }

    /// <summary>Writes the help for an unknown word: a suggestion when there is one, and the allowed words.</summary>
    public static string Help(string given, IReadOnlyCollection<string> allowed, string allowedWhat)
    {
        var closest = Closest(given, allowed);
        var list = string.Join(", ", allowed.Select(a => $"`{a}`"));
        return closest is null ? $"{allowedWhat}: {list}" : $"did you mean `{closest}`? {allowedWhat}: {list}";
    }

    private static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
