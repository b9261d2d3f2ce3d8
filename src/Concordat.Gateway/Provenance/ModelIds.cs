using Concordat.Gateway.Security;

namespace Concordat.Gateway.Provenance;

/// <summary>A registered model's id: <c>name@version</c>, both parts ids (<see cref="Ids.IsValid"/>), so neither holds an <c>@</c> or a path separator.</summary>
internal static class ModelIds
{
    public static string Format(string name, string version) => $"{name}@{version}";

    public static bool TryParse(string? id, out string name, out string version)
    {
        var at = id?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        (name, version) = at < 0 ? (string.Empty, string.Empty) : (id![..at], id[(at + 1)..]);
        return Ids.IsValid(name) && Ids.IsValid(version);
    }
}
