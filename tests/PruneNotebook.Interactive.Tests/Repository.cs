namespace PruneNotebook.Interactive.Tests;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding PruneNotebook.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PruneNotebook.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no PruneNotebook.sln above {AppContext.BaseDirectory}");
    }
}
