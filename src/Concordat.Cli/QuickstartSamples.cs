namespace Concordat.Cli;

/// <summary>
/// The sample agreements and their demo signer keys, embedded in the command (samples/agreements/*.yaml,
/// samples/keys/*.key), so <c>concordat quickstart</c> works from an installed tool in any folder.
/// </summary>
/// <remarks>Security: the demo keys' private halves are published (samples/keys/README.md); they sign sample agreements only.</remarks>
internal static class QuickstartSamples
{
    private const string AgreementPrefix = "samples/agreements/";
    private const string KeyPrefix = "samples/keys/";

    /// <summary>Gets the names of the embedded sample agreements, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(QuickstartSamples).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(AgreementPrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n[AgreementPrefix.Length..^".yaml".Length])
            .Order(StringComparer.Ordinal)];

    /// <summary>Reads a sample agreement's YAML source, or null when no sample has that name.</summary>
    public static string? ReadAgreement(string name) => Read(AgreementPrefix + name + ".yaml");

    /// <summary>Reads a demo signer key (<c>PRIVATE+KEY+...</c>), or null when none is embedded for the signer.</summary>
    public static string? ReadSignerKey(string signer) => Read(KeyPrefix + signer + ".key");

    private static string? Read(string name)
    {
        using var stream = typeof(QuickstartSamples).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
