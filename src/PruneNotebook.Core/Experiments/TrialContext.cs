using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Experiments;

/// <summary>What the steps of one running trial share: its model (built on first use from the seed), data and figures.</summary>
internal sealed class TrialContext(SweepDirectory sweep, TrialSpec spec, TrialData data) : IDisposable
{
    private nn.Module<Tensor, Tensor>? _model;

    public long Seed => spec.Seed;

    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<double>? FoldScores { get; set; }

    public TensorDataset Train => data.Train;

    public TensorDataset Test => data.Test;

    public TabularDataset Table => data.Table;

    /// <summary>One example's input shape with a batch dimension of 1.</summary>
    public IReadOnlyList<long> InputShape => [1, .. data.Train.ExampleShape];

    /// <summary>The trial's model: the architecture with initial weights drawn from the global generator seeded with the trial's seed.</summary>
    public nn.Module<Tensor, Tensor> Model => _model ??= Build();

    public string Resolve(string path) => sweep.Resolve(path);

    public void Add(string label, string name, double value) => Metrics[$"{label}.{name}"] = value;

    /// <summary>Labels become figure names (<c>label.accuracy</c>): letters, digits, '_' and '-' only.</summary>
    public static void CheckLabel(string label)
    {
        if (string.IsNullOrWhiteSpace(label) || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new ArgumentException($"Label '{label}' is not valid: use letters, digits, '_' or '-', e.g. \"finetuned\".");
    }

    public void Dispose() => _model?.Dispose();

    private nn.Module<Tensor, Tensor> Build()
    {
        using var seeded = SeededGlobalRandom.Seed(spec.Seed);
        var device = TorchDevice.Default;
        if (spec.Model.Trim().Equals(TrialSpec.Mlp, StringComparison.OrdinalIgnoreCase))
        {
            var table = data.Table;
            var classes = table.ClassNames?.Count
                ?? throw new ArgumentException($"An mlp classifies, but '{table.Name}' is a regression dataset.");
            var mlp = NetworkEstimator.BuildMlp(table.FeatureCount, classes, spec.Hidden!);
            mlp.to(device);
            return mlp;
        }
        return ModelZoo.Create(spec.Model, device);
    }
}
