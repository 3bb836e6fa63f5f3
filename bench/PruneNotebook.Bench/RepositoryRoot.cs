namespace PruneNotebook.Bench;

/// Finds the repository root: the nearest folder, walking up, that holds PruneNotebook.sln.
public static class RepositoryRoot
{
    public const string Marker = "PruneNotebook.sln";

    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                    return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No folder holding {Marker} above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'.");
    }
}
