namespace Concordat.Testing;

/// <summary>Finds the source tree the tests were built from, for golden files that a test compares and may rewrite.</summary>
public static class RepositoryRoot
{
    /// <summary>Returns the repository root: the first folder above the test binaries that holds <c>Concordat.slnx</c>.</summary>
    /// <exception cref="InvalidOperationException">No such folder exists above the test binaries.</exception>
    public static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Concordat.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Concordat.slnx) was not found above the test binaries");
    }
}
