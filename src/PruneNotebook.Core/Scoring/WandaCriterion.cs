using PruneNotebook.Core.Calibration;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// Wanda, pruning by weights and activations (Sun et al. 2023): entry (i, j) of a Linear weight scores
/// |W_ij|·‖X_j‖₂, where ‖X_j‖₂ is the norm of input column j over the calibration data (every example and position),
/// gathered in one calibration pass over all the Linear layers being scored (<see cref="CalibrationPass"/>; <c>in</c>
/// floats per layer). Scores are compared within each output row (<see cref="IRowComparedCriterion"/>). Needs
/// calibration data and Linear layers.
/// </summary>
/// <param name="samples">Calibration examples to use (≥ 1).</param>
public sealed class WandaCriterion(int samples = CalibrationPass.DefaultSamples) : IRowComparedCriterion
{
    /// <summary>Calibration examples used.</summary>
    public int Samples { get; } = samples >= 1 ? samples : throw new ArgumentOutOfRangeException(nameof(samples), samples, $"--samples must be at least 1 (calibration examples for wanda), got {samples}.");

    /// <inheritdoc />
    public string Name => "wanda";

    /// <inheritdoc />
    public Tensor ScoreEntries(Tensor parameter, string name, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(context);
        var layer = LayerOf(name);
        var statistics = context.Shared("wanda-inputs", () => new CalibrationStatisticsCache(this, context));
        var norms = statistics.For(layer, name);
        if (parameter.dim() != 2 || parameter.shape[1] != norms.shape[0])
            throw new ArgumentException($"The wanda criterion scores Linear weights (out, in), and '{name}' has shape ({string.Join(", ", parameter.shape)}): choose the weights of Linear layers.");
        using var scope = NewDisposeScope();
        return parameter.detach().abs().mul(norms.sqrt().unsqueeze(0).to(parameter.device)).MoveToOuterDisposeScope();
    }

    internal static string LayerOf(string name) =>
        name.EndsWith(".weight", StringComparison.Ordinal) ? name[..^".weight".Length] : name == "weight" ? "" : name;

    /// <summary>One calibration pass for every Linear layer of the model, kept for the rest of the pruning call.</summary>
    private sealed class CalibrationStatisticsCache(WandaCriterion criterion, ScoringContext context) : IDisposable
    {
        private IReadOnlyDictionary<string, LayerInputStatistics>? _statistics;

        public Tensor For(string layer, string name)
        {
            _statistics ??= Gather();
            return _statistics.TryGetValue(layer, out var s)
                ? s.SquaredNorms
                : throw new ArgumentException($"The wanda criterion scores Linear weights by their inputs, and '{name}' is not the weight of a Linear layer the calibration data reaches (through call()): choose such Linear layers.");
        }

        private IReadOnlyDictionary<string, LayerInputStatistics> Gather()
        {
            var network = context.Network(criterion);
            var data = context.RequireData(criterion, "the inputs of each layer (calibration data)");
            var linears = network.named_modules().Where(m => m.module is TorchSharp.Modules.Linear).Select(m => m.name).ToList();
            return CalibrationPass.Gather(network, data, linears, gram: false, samples: criterion.Samples, requireEveryLayer: false);
        }

        public void Dispose()
        {
            foreach (var s in _statistics?.Values ?? [])
                s.Dispose();
        }
    }
}
