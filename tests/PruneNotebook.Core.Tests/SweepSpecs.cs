using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Tests;

/// <summary>Small sweeps the experiment tests run: seconds each.</summary>
internal static class SweepSpecs
{
    public static TrialSpec WineCv(double lr, int seed = 0) => new("mlp", new DataSpec("wine"),
        [new CrossValidateStep("mlp", new Dictionary<string, object> { ["lr"] = lr, ["hidden"] = "8", ["epochs"] = 5.0, ["seed"] = (double)seed })],
        Seed: seed, Hidden: [8], Tags: new Dictionary<string, string> { ["lr"] = lr.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public static TrialSpec LeNetPrune(double amount, string criterion = "l1", long seed = 0, int limit = 200) => new("lenet5", new DataSpec(DataSpec.FashionMnistName, Limit: limit),
        [
            new TrainStep(Epochs: 1, BatchSize: 64),
            new MeasureStep("dense"),
            new PruneStep(criterion, PruningAmount.Of(amount), "global"),
            new EvaluateStep("pruned"),
            new MeasureStep("pruned"),
        ],
        Seed: seed);

    public static TrialSpec Failing(string missingFile = "no-such-model.bin") =>
        new("lenet5", new DataSpec(DataSpec.FashionMnistName, Limit: 50), [new LoadStep(missingFile), new EvaluateStep()]);

    public static SweepSpec Grid(params TrialSpec[] trials) => new("test sweep", trials);
}
