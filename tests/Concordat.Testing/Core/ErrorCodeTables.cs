using System.Reflection;
using Concordat.Core;

namespace Concordat.Testing.Core;

/// <summary>Finds error-code entries by reflection, wherever they are declared, so that no table can be forgotten.</summary>
public static class ErrorCodeTables
{
    /// <summary>
    /// Returns every static field holding an <see cref="ErrorCode"/> in <paramref name="root"/> and in every Concordat
    /// assembly it references, directly or not.
    /// </summary>
    public static IReadOnlyList<ErrorCodeDeclaration> Find(Assembly root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([root]);
        var declarations = new List<ErrorCodeDeclaration>();
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.Add(assembly.GetName().Name!))
            {
                continue;
            }

            foreach (var type in assembly.GetTypes())
            {
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    if (typeof(ErrorCode).IsAssignableFrom(field.FieldType))
                    {
                        declarations.Add(new ErrorCodeDeclaration(type, field.Name, (ErrorCode)field.GetValue(null)!));
                    }
                }
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Concordat", StringComparison.Ordinal)))
            {
                pending.Enqueue(Assembly.Load(reference));
            }
        }

        return declarations;
    }
}
