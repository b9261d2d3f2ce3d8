using Concordat.Data.Datasets;

namespace Concordat.Data.Tests.Architecture;

public sealed class DependencyDirectionTests
{
    // Invariant: datasets and egress are a library any host can use (the gateway today, other paths later): the pure
    // library and the BCL, no web host, no database driver. The list is explicit, so a new reference is a reviewed change.
    private static readonly string[] s_allowedReferences =
    [
        "Concordat",
        "System.Collections",
        "System.Linq",
        "System.Memory",
        "System.Runtime",
        "System.Security.Cryptography",
        "System.Text.Json",
        "System.Text.RegularExpressions",
    ];

    [Fact]
    public void Data_ReferencesOnlyTheLibraryAndTheBcl()
    {
        var references = typeof(DatasetStore).Assembly.GetReferencedAssemblies();

        var offending = references.Select(r => r.Name ?? string.Empty).Where(name => !s_allowedReferences.Contains(name)).ToList();

        Assert.Empty(offending);
    }
}
