using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using static TorchSharp.torch;

namespace PruneNotebook.CheckpointProbe;

/// <summary>The probe's model, data and options, shared with the test that kills it and reads its checkpoint.</summary>
public static class ProbeModel
{
    /// <summary>An MLP of 4 M parameters (16 MB of weights, 48 MB of checkpoint with Adam's moments).</summary>
    public static nn.Module<Tensor, Tensor> Create()
    {
        manual_seed(0);
        return nn.Sequential(("fc1", nn.Linear(1000, 4000)), ("relu", nn.ReLU()), ("fc2", nn.Linear(4000, 10)));
    }

    /// <summary>64 random examples: one optimizer step per epoch.</summary>
    public static TensorDataset Data()
    {
        using var generator = new Generator(1);
        return new TensorDataset(randn([64, 1000], generator: generator), randint(10, [64], generator: generator));
    }

    /// <summary>Adam for (practically) ever, checkpointing to <paramref name="path"/> after every epoch.</summary>
    public static TrainerOptions Options(string path) => new(Epochs: 100_000, BatchSize: 64, LearningRate: 1e-4, CheckpointPath: path);
}
