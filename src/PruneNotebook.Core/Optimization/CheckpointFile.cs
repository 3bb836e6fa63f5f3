namespace PruneNotebook.Core.Optimization;

/// <summary>Reads and writes training checkpoints.</summary>
public static class CheckpointFile
{
    /// <summary>Throws unless a checkpoint can be written at <paramref name="path"/>: its folder exists and accepts new files.</summary>
    /// <exception cref="ArgumentException">The path is empty, is a folder, or its folder is missing or not writable.</exception>
    public static void ValidatePath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("Checkpoint path is empty: expected a file path such as 'lenet5.ckpt'.", nameof(path));
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ArgumentException($"Checkpoint path '{path}' is a folder: expected a file path.", nameof(path));
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new ArgumentException($"Cannot write checkpoint '{path}': folder '{folder}' does not exist.", nameof(path));
        var probe = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.probe");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ArgumentException($"Cannot write checkpoint '{path}': folder '{folder}' is not writable ({e.Message}).", nameof(path));
        }
    }
}
