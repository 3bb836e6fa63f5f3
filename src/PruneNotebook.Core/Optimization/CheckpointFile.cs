using System.Text;
using System.Text.Json;
using PruneNotebook.Core.Optimization.Schedules;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization;

/// <summary>
/// Training checkpoints: the model (weights and pruning masks), the optimizer's state, the learning-rate schedule's
/// state, the random generator, early-stopping state with the best weights, and the history so far — everything
/// <see cref="Trainer.Fit"/> needs to resume as if it had never stopped. Files are written atomically: a crash or a kill
/// during a save leaves the previous checkpoint intact and loadable.
/// </summary>
public static class CheckpointFile
{
    private const string Header = "PruneNotebook.checkpoint.v1";
    private const string Trailer = "PruneNotebook.checkpoint.end";

    /// <summary>A diverged run has NaN or infinite losses; they are written as "NaN" / "Infinity" rather than failing the save.</summary>
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

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

    /// <summary>What a checkpoint holds besides tensors: the epochs completed and the history so far.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete PruneNotebook checkpoint.</exception>
    public static CheckpointInfo Inspect(string path)
    {
        using var reader = Open(path);
        var meta = ReadMetadata(reader, path);
        return new CheckpointInfo(meta.Model, meta.Optimizer, meta.EpochsCompleted, meta.Steps,
            new TrainingHistory(meta.Model, meta.Optimizer, meta.BatchSize, meta.History, meta.LearningRates));
    }

    /// <summary>Loads only the weights and pruning masks of a checkpoint into <paramref name="model"/> (same architecture).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this model; the model is left as it was.</exception>
    public static void LoadWeights(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var reader = Open(path);
        ReadMetadata(reader, path);
        WithBackup(model, path, () =>
        {
            var masks = ModelFile.Read(model, reader, masksRequired: true);
            PruningMasks.ReplaceAll(model, masks);
            ModelFile.DisposeAll(masks);
        });
    }

    /// <summary>Writes the whole training state atomically.</summary>
    internal static void Save(string path, nn.Module model, optim.Optimizer optimizer, TrainingRun run, TrainerOptions options)
    {
        PruningMasks.Apply(model);
        using var rng = torch.get_rng_state();
        var meta = new Metadata(model.GetType().Name, options.OptimizerName, options.BatchSize, options.Seed, run.EpochsCompleted, run.Steps,
            run.ScheduleState, run.Best, run.BadEpochs, run.BestEpoch, run.Epochs, run.LearningRates,
            Convert.ToBase64String(rng.data<byte>().ToArray()));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Header);
            writer.Write(JsonSerializer.Serialize(meta, Json));
            ModelFile.Write(model, writer);
            Managed(optimizer).save_state_dict(writer);
            writer.Write(run.BestWeights.Count);
            foreach (var name in run.BestWeights.Keys)
                writer.Write(name);
            nn.Module.save_state_dict(writer, run.BestWeights);
            writer.Write(Trailer);
        });
    }

    /// <summary>Restores a run saved by <see cref="Save"/>; on any failure the model is left as it was.</summary>
    /// <exception cref="InvalidDataException">The checkpoint is damaged or was written by an incompatible run.</exception>
    internal static void Resume(string path, nn.Module model, optim.Optimizer optimizer, TrainingRun run, TrainerOptions options)
    {
        using var reader = Open(path);
        var meta = ReadMetadata(reader, path);
        if (meta.Model != model.GetType().Name || meta.Optimizer != options.OptimizerName || meta.BatchSize != options.BatchSize || meta.Seed != options.Seed)
            throw new InvalidDataException(
                $"Checkpoint '{Path.GetFileName(path)}' was written for {meta.Model} with {meta.Optimizer}, batch size {meta.BatchSize}, seed {meta.Seed}: " +
                $"expected {model.GetType().Name} with {options.OptimizerName}, batch size {options.BatchSize}, seed {options.Seed}.");
        if (meta.EpochsCompleted > options.Epochs)
            throw new InvalidDataException($"Checkpoint '{Path.GetFileName(path)}' has {meta.EpochsCompleted} epochs done, more than the {options.Epochs} planned: raise Epochs to continue.");
        WithBackup(model, path, () =>
        {
            var masks = ModelFile.Read(model, reader, masksRequired: true);
            try
            {
                Managed(optimizer).load_state_dict(reader);
                var names = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString()).ToList();
                var state = model.state_dict();
                using var holder = new TensorHolder();
                foreach (var name in names)
                    holder.Add(name, zeros_like(state.GetValueOrDefault(name)
                        ?? throw new InvalidDataException($"the best weights name '{name}', which this model does not have.")));
                holder.load(reader, strict: true);
                if (reader.ReadString() != Trailer)
                    throw new InvalidDataException("the file ends early.");
                PruningMasks.ReplaceAll(model, masks);
                run.ReplaceBest(names.ToDictionary(n => n, n => holder.Take(n)));
            }
            finally
            {
                ModelFile.DisposeAll(masks);
            }
        });
        using (var rng = tensor(Convert.FromBase64String(meta.RngState), dtype: ScalarType.Byte))
            torch.set_rng_state(rng);
        run.EpochsCompleted = meta.EpochsCompleted;
        run.Steps = meta.Steps;
        run.ScheduleState = meta.ScheduleState;
        run.Best = meta.Best;
        run.BadEpochs = meta.BadEpochs;
        run.BestEpoch = meta.BestEpoch;
        run.Epochs.AddRange(meta.History);
        run.LearningRates.AddRange(meta.LearningRates);
    }

    private static TorchSharp.Modules.OptimizerHelper Managed(optim.Optimizer optimizer) => optimizer as TorchSharp.Modules.OptimizerHelper
        ?? throw new NotSupportedException($"Cannot checkpoint the state of {optimizer.GetType().Name}: only TorchSharp's managed optimizers are supported.");

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint not found: {path}", path);
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
    }

    private static Metadata ReadMetadata(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Header)
                throw new InvalidDataException("it does not start with a PruneNotebook checkpoint header");
            return JsonSerializer.Deserialize<Metadata>(reader.ReadString(), Json) ?? throw new InvalidDataException("its metadata is empty");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is not a PruneNotebook checkpoint: {e.Message}", e);
        }
    }

    private static void WithBackup(nn.Module model, string path, Action read)
    {
        using var backup = StateBackup.Take(model);
        try
        {
            read();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            backup.Restore(model);
            throw new InvalidDataException($"Checkpoint '{Path.GetFileName(path)}' does not fit {model.GetType().Name}: {e.Message.Split('\n')[0]}", e);
        }
    }

    /// <summary>The JSON part of a checkpoint.</summary>
    private sealed record Metadata(
        string Model,
        string Optimizer,
        int BatchSize,
        long Seed,
        int EpochsCompleted,
        long Steps,
        ScheduleState ScheduleState,
        double? Best,
        int BadEpochs,
        int? BestEpoch,
        IReadOnlyList<EpochMetrics> History,
        IReadOnlyList<double> LearningRates,
        string RngState);
}
