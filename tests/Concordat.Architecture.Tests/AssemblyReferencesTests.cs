using System.Reflection;

namespace Concordat.Architecture.Tests;

/// <summary>
/// Every shipped assembly references exactly what its allow-list names, so a new dependency is a reviewed change:
/// the pure library no data access, HTTP or hosting; the gateway no database driver; each storage project only its
/// own driver.
/// </summary>
public sealed class AssemblyReferencesTests
{
    public static TheoryData<string> Shipped() => [.. AllowedReferences.Keys];

    [Fact]
    public void AllowLists_CoverEveryShippedAssembly()
    {
        var projects = Directory.GetDirectories(Path.Combine(Concordat.Testing.RepositoryRoot.Find(), "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(projects, AllowedReferences.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Assembly_ReferencesOnlyItsAllowList(string name)
    {
        var assembly = Assembly.Load(name);

        var references = assembly.GetReferencedAssemblies().Select(r => r.Name!).Order(StringComparer.Ordinal).ToList();

        var unexpected = references.Except(AllowedReferences.For(name)).ToList();
        Assert.True(unexpected.Count == 0, $"{name} references {string.Join(", ", unexpected.Select(u => $"\"{u}\""))}, not on its allow-list in {nameof(AllowedReferences)}");
    }

    [Fact]
    public void Library_UsesTheEd25519PackageOnlyFromCrypto()
    {
        var assembly = typeof(Concordat.Core.Diagnostic).Assembly;

        var typesUsingBouncyCastle = assembly.GetTypes()
            .Where(type => type.Namespace is not null && !type.Namespace.StartsWith("Concordat.Crypto", StringComparison.Ordinal))
            .Where(ReferencesBouncyCastle)
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
        return signatures.Any(t => t.Assembly.GetName().Name == "BouncyCastle.Cryptography");
    }
}
