using PruneNotebook.Visualization;

namespace PruneNotebook.Samples;

/// <summary>What the scripts in samples/ share: quick mode, where reports go, and printing a line into the report.</summary>
public static class Samples
{
    /// <summary>PRUNENOTEBOOK_SAMPLES=quick: a smaller run of the same steps (CI).</summary>
    public static bool Quick { get; } = Environment.GetEnvironmentVariable("PRUNENOTEBOOK_SAMPLES") == "quick";

    /// <summary>Writes <paramref name="report"/> to artifacts/&lt;name&gt;.html at the repository's root and says where.</summary>
    public static void Save(HtmlReport report, string name)
    {
        var folder = Path.Combine(Root(), "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".html");
        report.Save(path);
        Console.WriteLine($"report: {path}");
    }

    /// <summary>Prints <paramref name="line"/> and adds it to the report.</summary>
    public static void Say(HtmlReport report, string line)
    {
        Console.WriteLine(line);
        report.Paragraph(line);
    }

    private static string Root()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "PruneNotebook.sln")))
                return directory.FullName;
        return Environment.CurrentDirectory;
    }
}
