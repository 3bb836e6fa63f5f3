using System.Collections;
using PruneNotebook.Core.Pruning;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Persistence;

/// <summary>
/// Exchanges weights with PyTorch through <c>state_dict</c> files (<c>torch.save</c>/<c>torch.load</c> format).
/// Pruned parameters use PyTorch's own naming: <c>fc1.weight_orig</c> and <c>fc1.weight_mask</c>, so a PyTorch model
/// whose layers went through <c>torch.nn.utils.prune</c> (or <c>prune.identity</c>) loads them as they are.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>
    /// Writes <paramref name="model"/>'s state to a PyTorch <c>state_dict</c> file; masked parameters are written as
    /// <c>&lt;name&gt;_orig</c> and <c>&lt;name&gt;_mask</c>. Atomic, like <see cref="ModelFile.Save"/>.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Export(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PruningMasks.Apply(model);
        var masks = PruningMasks.Of(model).ToDictionary(m => m.Name, m => m.Mask);
        var state = new Hashtable();
        foreach (var (name, value) in model.state_dict())
        {
            if (masks.TryGetValue(name, out var mask))
            {
                state[name + "_orig"] = value.detach().cpu();
                state[name + "_mask"] = mask.cpu();
            }
            else
            {
                state[name] = value.detach().cpu();
            }
        }
        AtomicFile.Write(path, stream => PyTorchPickler.PickleStateDict(stream, state, leaveOpen: true));
    }

    /// <summary>
    /// Loads a PyTorch <c>state_dict</c> file into <paramref name="model"/> (same architecture and parameter names).
    /// Entries named <c>&lt;name&gt;_orig</c> + <c>&lt;name&gt;_mask</c> become a pruned parameter with that mask.
    /// Replaces any masks the model had.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Missing, unexpected or mis-shaped entries (named in the message); the model is left as it was.</exception>
    public static void Import(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path))
            throw new FileNotFoundException($"PyTorch state_dict file not found: {path}", path);
        Hashtable file;
        try
        {
            file = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is not a PyTorch state_dict file: {e.Message.Split('\n')[0]}", e);
        }

        var entries = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in file)
        {
            entries[entry.Key.ToString() ?? ""] = entry.Value as Tensor
                ?? throw new InvalidDataException($"'{Path.GetFileName(path)}': entry '{entry.Key}' holds a {entry.Value?.GetType().Name ?? "null"}, not a tensor: expected a state_dict of tensors.");
        }
        var state = model.state_dict();
        var values = new Dictionary<string, Tensor>();
        var masks = new Dictionary<string, (Tensor Mask, Tensor Original)>();
        var used = new HashSet<string>();
        var missing = new List<string>();
        foreach (var (name, target) in state)
        {
            if (entries.TryGetValue(name, out var plain))
            {
                values[name] = plain;
                used.Add(name);
            }
            else if (entries.TryGetValue(name + "_orig", out var original) && entries.TryGetValue(name + "_mask", out var mask))
            {
                if (!mask.shape.SequenceEqual(original.shape))
                    throw new InvalidDataException(
                        $"'{name}_mask' has shape ({string.Join(", ", mask.shape)}) but '{name}_orig' ({string.Join(", ", original.shape)}): expected the same.");
                values[name] = original.mul(mask);
                masks[name] = (mask, original);
                used.Add(name + "_orig");
                used.Add(name + "_mask");
            }
            else
            {
                missing.Add(name);
                continue;
            }
            if (!values[name].shape.SequenceEqual(target.shape))
                throw new InvalidDataException(
                    $"'{name}' has shape ({string.Join(", ", values[name].shape)}) in the file but ({string.Join(", ", target.shape)}) in {model.GetType().Name}.");
        }
        if (missing.Count > 0)
            throw new InvalidDataException($"The file has no entry for {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")} of {model.GetType().Name}.");
        var unexpected = entries.Keys.Where(k => !used.Contains(k)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"The file has entries {model.GetType().Name} does not: {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? ", …" : "")}.");

        using (no_grad())
        {
            foreach (var (name, value) in values)
                state[name].copy_(value.to_type(state[name].dtype));
        }
        PruningMasks.ReplaceAll(model, masks.Select(m => (m.Key, m.Value.Mask, m.Value.Original)));
    }
}
