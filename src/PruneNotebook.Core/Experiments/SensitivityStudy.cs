using System.Globalization;
using System.Security.Cryptography;
using PruneNotebook.Core.Persistence;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// <see cref="Sensitivity.Analyze"/> with one trial per parameter, run out of this process (worker processes, a Slurm
/// job array): the model's weights are saved into the sweep directory and every worker prunes its parameter alone to
/// each sparsity on the same test data.
/// </summary>
public static class SensitivityStudy
{
    /// <summary>The model file's name in the sweep directory.</summary>
    public const string ModelFileName = "model.bin";

    /// <summary>Runs the scan of <paramref name="model"/> on <paramref name="data"/>'s test split; the model is not changed.</summary>
    /// <param name="model">A built-in architecture (workers rebuild it by name).</param>
    /// <param name="data">Data workers can load (its test split is evaluated).</param>
    /// <param name="sparsities">Sparsities in [0, 1].</param>
    /// <param name="execution">Where and how the trials run.</param>
    /// <param name="targets">Parameters; default <see cref="Pruner.DefaultTargets"/>.</param>
    /// <param name="criterion">Importance by name (<c>l1</c>, <c>l2</c>, <c>random</c>).</param>
    /// <returns>The same report <see cref="Sensitivity.Analyze"/> gives.</returns>
    /// <exception cref="ArgumentException">The model is not a built-in architecture, a parameter does not exist, or a sparsity is out of range.</exception>
    /// <exception cref="SweepBackendException">A trial failed after its retries, or the backend cannot run.</exception>
    public static SensitivityReport Run(nn.Module<Tensor, Tensor> model, DataSpec data, IReadOnlyList<double> sparsities, SweepExecution execution,
        IReadOnlyList<string>? targets = null, string criterion = "l1")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sparsities);
        ArgumentNullException.ThrowIfNull(execution);
        var name = ZooModels.NameOf(model);
        targets ??= Pruner.DefaultTargets(model);
        var known = model.named_parameters().Select(p => p.name).ToHashSet();
        var missing = targets.FirstOrDefault(t => !known.Contains(t));
        if (missing is not null)
            throw new ArgumentException($"{model.GetType().Name} has no parameter '{missing}'.", nameof(targets));
        execution.Prepare(targets.Count);   // workers start while the model is saved
        var saved = Path.Combine(Path.GetTempPath(), $"prunenotebook-sensitivity-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        try
        {
            ModelFile.Save(model, saved);
            string hash;
            using (var stream = File.OpenRead(saved))
                hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
            var trials = targets.Select(t => new TrialSpec(name, data, [new LoadStep(ModelFileName), new SensitivityStep(t, sparsities, criterion)],
                Tags: new Dictionary<string, string> { ["parameter"] = t })).ToList();
            var sweep = execution.Create(new SweepSpec($"sensitivity {name} {criterion} (weights {hash})", trials));
            if (!File.Exists(sweep.Resolve(ModelFileName)))
                File.Move(saved, sweep.Resolve(ModelFileName));
            var results = execution.Run(sweep, Enumerable.Range(0, trials.Count).ToList());
            var curves = results.Select((r, i) =>
            {
                var count = r.Metrics.Keys.Count(k => k.StartsWith("sensitivity.accuracy_", StringComparison.Ordinal));
                return new SensitivityCurve(targets[i], (long)r["sensitivity.count"],
                    Enumerable.Range(0, count).Select(k => r[$"sensitivity.sparsity_{k.ToString(CultureInfo.InvariantCulture)}"]).ToArray(),
                    Enumerable.Range(0, count).Select(k => r[$"sensitivity.accuracy_{k.ToString(CultureInfo.InvariantCulture)}"]).ToArray());
            }).ToList();
            return new SensitivityReport(model.GetType().Name, criterion, results.Count > 0 ? results[0]["sensitivity.baseline"] : double.NaN, curves);
        }
        finally
        {
            File.Delete(saved);
        }
    }
}
