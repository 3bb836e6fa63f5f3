using PruneNotebook.Core.Pruning;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Persistence;

/// <summary>
/// Saves and loads a model with its pruning masks in TorchSharp's format. The file starts with the model's plain
/// TorchSharp state (so <c>module.load(path)</c> alone still reads the weights) and goes on with the masks and the
/// values the pruned entries had before pruning. Saving is atomic: a crash mid-save leaves the previous file.
/// </summary>
public static class ModelFile
{
    private const string MaskSection = "PruneNotebook.masks.v1";

    /// <summary>Writes <paramref name="model"/>'s parameters, buffers and pruning masks to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be written (the message names it); an existing file is left as it was.</exception>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            Write(model, writer);
        });
    }

    /// <summary>Writes the model state, then the mask section, to <paramref name="writer"/>.</summary>
    internal static void Write(nn.Module model, BinaryWriter writer)
    {
        PruningMasks.Apply(model);
        model.save(writer);
        var entries = PruningMasks.Entries(model);
        writer.Write(MaskSection);
        writer.Write(entries.Count);
        foreach (var (name, _, _) in entries)
            writer.Write(name);
        var tensors = new Dictionary<string, Tensor>();
        for (var i = 0; i < entries.Count; i++)
        {
            tensors[$"m{i}"] = entries[i].Mask;
            tensors[$"o{i}"] = entries[i].Original;
        }
        nn.Module.save_state_dict(writer, tensors);
    }

    /// <summary>
    /// Loads weights and pruning masks saved by <see cref="Save"/> into <paramref name="model"/> (same architecture);
    /// training afterwards keeps the pruned weights at zero. Replaces any masks the model had.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file does not fit the model (the model is left as it was).</exception>
    public static void Load(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file not found: {path}", path);
        var backup = StateBackup.Take(model);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
            var masks = Read(model, reader, masksRequired: false);
            PruningMasks.ReplaceAll(model, masks);
            DisposeAll(masks);
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            backup.Restore(model);
            throw new InvalidDataException($"'{Path.GetFileName(path)}' does not fit {model.GetType().Name}: {e.Message.Split('\n')[0]}", e);
        }
        finally
        {
            backup.Dispose();
        }
    }

    /// <summary>
    /// Reads a model state into <paramref name="model"/> and returns the masks that follow it (not yet installed: the
    /// caller installs them with <see cref="PruningMasks.ReplaceAll"/> once everything else it reads has succeeded).
    /// Without <paramref name="masksRequired"/>, a stream that ends after the model state has no masks.
    /// </summary>
    /// <exception cref="InvalidDataException">The data does not fit the model.</exception>
    internal static List<(string Name, Tensor Mask, Tensor Original)> Read(nn.Module model, BinaryReader reader, bool masksRequired)
    {
        model.load(reader, strict: true);
        var masks = new List<(string, Tensor, Tensor)>();
        var stream = reader.BaseStream;
        if (!masksRequired && stream.Position >= stream.Length)
            return masks;
        if (reader.ReadString() != MaskSection)
            throw new InvalidDataException("unexpected data after the model state.");
        var names = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString()).ToList();
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        using var holder = new TensorHolder();
        for (var i = 0; i < names.Count; i++)
        {
            var shape = shapes.GetValueOrDefault(names[i])
                ?? throw new InvalidDataException($"the file has a mask for '{names[i]}', which this model does not have.");
            holder.Add($"m{i}", zeros(shape));
            holder.Add($"o{i}", zeros(shape));
        }
        holder.load(reader, strict: true);
        for (var i = 0; i < names.Count; i++)
            masks.Add((names[i], holder.Take($"m{i}"), holder.Take($"o{i}")));
        return masks;
    }

    /// <summary>Disposes the tensors <see cref="Read"/> returned.</summary>
    internal static void DisposeAll(IEnumerable<(string Name, Tensor Mask, Tensor Original)> masks)
    {
        foreach (var (_, mask, original) in masks)
        {
            mask.Dispose();
            original.Dispose();
        }
    }
}
