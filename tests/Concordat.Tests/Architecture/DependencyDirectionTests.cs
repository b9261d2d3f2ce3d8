using System.Reflection;

namespace Concordat.Tests.Architecture;

public sealed class DependencyDirectionTests
{
    // Invariant: the pure library holds rules, formats and proofs only; an auditor's tool references it
    // without pulling in a database driver, a web host or anything that writes.
    private static readonly string[] s_allowedLibraryReferences =
    [
        "System.",
        "Microsoft.Win32.Primitives",
        "netstandard",
        "YamlDotNet",
        "BouncyCastle.Crypto",
    ];

    [Fact]
    public void Library_ReferencesNoStorageWebOrHostAssembly()
    {
        var references = typeof(Concordat.Core.Diagnostic).Assembly.GetReferencedAssemblies();

        var offending = references
            .Select(r => r.Name ?? string.Empty)
            .Where(name => name != "System.Runtime" && !s_allowedLibraryReferences.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Library_ReferencesOnlyTheEd25519PackageFromCrypto()
    {
        var assembly = typeof(Concordat.Core.Diagnostic).Assembly;

        var typesUsingBouncyCastle = assembly.GetTypes()
            .Where(type => type.Namespace is not null && !type.Namespace.StartsWith("Concordat.Crypto", StringComparison.Ordinal))
            .Where(type => ReferencesBouncyCastle(type))
            .Select(type => type.FullName)
            .ToList();

        Assert.Empty(typesUsingBouncyCastle);
    }

    private static bool ReferencesBouncyCastle(Type type)
    {
        const BindingFlags AllMembers = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var signatures = type.GetFields(AllMembers).Select(f => f.FieldType)
            .Concat(type.GetMethods(AllMembers).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
            .Concat(type.GetProperties(AllMembers).Select(p => p.PropertyType));
        return signatures.Any(t => t.Assembly.GetName().Name == "BouncyCastle.Crypto");
    }
}
