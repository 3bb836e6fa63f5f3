using System.Globalization;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A TorchSharp classifier as an <see cref="IEstimator"/>: every <see cref="Fit"/> builds a fresh network with the factory
/// (its initial weights drawn from the global generator seeded with <see cref="Seed"/>, whose earlier state is restored afterwards: the caller's seed is left as it was) and trains it with the
/// <see cref="Trainer"/>. Building and training hold one process-wide lock: TorchSharp training is not thread-safe, so
/// parallel trials of networks are serialized (and stay reproducible); the <see cref="Trainer"/> trains a small network
/// (a tabular MLP) on one libtorch thread, which is faster for it. Cross-validation, searches, RFE-free selection and
/// permutation importance then treat networks and linear models alike.
/// </summary>
/// <param name="factory">Builds an untrained network from (input features, classes); it must output logits (n, classes).</param>
/// <param name="options">How to train it; default <see cref="TrainerOptions"/> with 20 epochs.</param>
/// <param name="seed">Seeds the initial weights.</param>
/// <param name="name">A label for tables.</param>
/// <param name="parameters">Hyperparameters to show in tables (the training options are added).</param>
public sealed class NetworkEstimator(Func<int, int, nn.Module<Tensor, Tensor>> factory, TrainerOptions? options = null, long seed = 0, string name = "network",
    IReadOnlyDictionary<string, object>? parameters = null) : IEstimator
{
    /// <summary>
    /// Held while a network is built, trained or evaluated. TorchSharp training is not safe to run on several threads at once
    /// (dotnet/TorchSharp#941; here concurrent Adam steps failed in native Scalar conversions), so parallel trials of networks
    /// take turns for the TorchSharp work.
    /// </summary>
    internal static readonly object TorchLock = new();

    /// <summary>The training options.</summary>
    public TrainerOptions Options { get; } = options ?? new TrainerOptions(Epochs: 20);

    /// <summary>The weight-initialization seed.</summary>
    public long Seed { get; } = seed;

    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> Parameters
    {
        get
        {
            var all = new Dictionary<string, object>(parameters ?? new Dictionary<string, object>())
            {
                ["optimizer"] = Options.OptimizerName, ["lr"] = Options.LearningRate, ["epochs"] = Options.Epochs, ["batch_size"] = Options.BatchSize,
            };
            if (Options.WeightDecay != 0)
                all["weight_decay"] = Options.WeightDecay;
            return all;
        }
    }

    /// <summary>
    /// A multilayer perceptron: Linear → ReLU for each hidden width, then a Linear to the classes.
    /// </summary>
    /// <param name="hidden">Hidden widths, e.g. [64] or [64, 32].</param>
    /// <param name="options">Training options.</param>
    /// <param name="seed">Initialization seed.</param>
    /// <exception cref="ArgumentException">A width is below 1.</exception>
    public static NetworkEstimator Mlp(IReadOnlyList<int> hidden, TrainerOptions? options = null, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.Any(h => h < 1))
            throw new ArgumentException($"Hidden widths must be at least 1, got {string.Join(", ", hidden)}.", nameof(hidden));
        var widths = hidden.ToArray();
        var label = "MLP(" + string.Join("-", widths.Select(w => w.ToString(CultureInfo.InvariantCulture))) + ")";
        return new NetworkEstimator((inputs, classes) => BuildMlp(inputs, classes, widths), options, seed, label,
            new Dictionary<string, object> { ["hidden"] = string.Join("-", widths) });
    }

    /// <summary>The network <see cref="Mlp"/> builds: fc1, relu1, fc2, … as a <c>Sequential</c>.</summary>
    public static nn.Module<Tensor, Tensor> BuildMlp(int inputs, int classes, IReadOnlyList<int> hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var width = inputs;
        for (var i = 0; i < hidden.Count; i++)
        {
            layers.Add(($"fc{i + 1}", nn.Linear(width, hidden[i])));
            layers.Add(($"relu{i + 1}", nn.ReLU()));
            width = hidden[i];
        }
        layers.Add(($"fc{hidden.Count + 1}", nn.Linear(width, classes)));
        return nn.Sequential(layers);
    }

    /// <summary>Builds and trains a network on <paramref name="data"/> (class targets).</summary>
    /// <exception cref="ArgumentException">The data are not a classification dataset, or the options are out of range.</exception>
    public FittedNetwork Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.IsClassification)
            throw new ArgumentException($"{Name} is a classifier, but '{data.Name}' is a regression dataset.", nameof(data));
        TorchNativeLibraries.EnsureLoaded();
        var trainer = new Trainer(Options);
        lock (TorchLock)
        {
            // Seeded for reproducible initial weights; the user's global generator is given back untouched.
            using var seeded = SeededGlobalRandom.Seed(Seed);
            var model = factory(data.FeatureCount, data.ClassNames!.Count);
            using var train = data.ToTensorDataset();
            var history = trainer.Fit(model, train, device: data.Device);
            return new FittedNetwork(model, history, data.FeatureNames, Name);
        }
    }

    IFittedModel IEstimator.Fit(TabularDataset data) => Fit(data);
}
