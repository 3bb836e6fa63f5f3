#!/usr/bin/env -S dotnet run
// notebooks/04-optimization.ipynb without a notebook: optimizers, learning-rate schedules, penalties (weight
// distributions, then 90 % pruning) and initializations compared on Fashion-MNIST; the comparison charts go to
// artifacts/04-optimization.html.   dotnet run samples/04-optimization.cs
// PRUNENOTEBOOK_SAMPLES=quick: 1,000 training images and one epoch per run (CI).
#:project ../src/PruneNotebook.Core/PruneNotebook.Core.csproj
#:project ../src/PruneNotebook.Visualization/PruneNotebook.Visualization.csproj
#:project Support/PruneNotebook.Samples.Support.csproj
// File-based apps default to Native AOT, which turns reflection-based JSON off (sweep directories and records use it).
#:property PublishAot=false

using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Optimization.Initialization;
using PruneNotebook.Core.Optimization.Regularization;
using PruneNotebook.Core.Optimization.Schedules;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Samples;
using PruneNotebook.Visualization;
using TorchSharp;

TorchNativeLibraries.EnsureLoaded();
var quick = Samples.Quick;
var device = TorchDevice.Default;
using var data = FashionMnist.Load(device: device);
var train = data.Train.Subset(torch.arange(quick ? 1_000 : 15_000));
var test = quick ? data.Test.Subset(torch.arange(1_000)) : data.Test;
int Epochs(int full) => quick ? 1 : full;
var warmup = quick ? "warmup(2)" : "warmup(100)";   // the quick run has only 8 steps per epoch
var report = new HtmlReport("04 · Optimization: optimizers, schedules, penalties, initialization");

T Copy<T>(T source, Func<T> create) where T : torch.nn.Module
{
    var copy = create();
    copy.load_state_dict(source.state_dict());
    return copy;
}
string Final(LabeledHistory run) => $"{run.Label}: {run.History.Last!.TestAccuracy:P2} in {run.History.TotalSeconds:F1} s";

// #!train lenet --data train --validation test --optimizer adam --lr 2e-3 --epochs 3 --schedule warmup(100)+cosine
torch.manual_seed(0);
var lenet = new LeNet5(device: device);
var options = new TrainerOptions(Epochs: Epochs(3), LearningRate: 2e-3, Optimizer: "adam");
options = options with { Schedule = LearningRateSchedules.Parse(warmup + "+cosine", options.Epochs, options.StepsPerEpoch(train.Count)) };
report.Heading("LeNet-5 with warm-up and cosine decay").Add(new Trainer(options).Fit(lenet, train, test));

torch.manual_seed(2);
var start = new LeNet5(device: device);
var optimizers = new (string Label, TrainerOptions Options)[]
{
    ("sgd 0.05", new(Optimizer: "sgd", LearningRate: 0.05, Momentum: 0)),
    ("sgd + momentum 0.9", new(Optimizer: "sgd", LearningRate: 0.02, Momentum: 0.9)),
    ("sgd + Nesterov", new(Optimizer: "sgd", LearningRate: 0.02, Momentum: 0.9, Nesterov: true)),
    ("adagrad 0.02", new(Optimizer: "adagrad", LearningRate: 0.02)),
    ("rmsprop 1e-3", new(Optimizer: "rmsprop", LearningRate: 1e-3, Momentum: 0)),
    ("adam 1e-3", new(Optimizer: "adam", LearningRate: 1e-3)),
    ("adamw 1e-3, wd 0.01", new(Optimizer: "adamw", LearningRate: 1e-3, WeightDecay: 0.01)),
    ("gd 0.5 (full batch)", new(Optimizer: "gd", LearningRate: 0.5, BatchSize: 1_000)),
};
var optimizerRuns = optimizers
    .Select(o => new LabeledHistory(o.Label, new Trainer(o.Options with { Epochs = Epochs(3) }).Fit(Copy(start, () => new LeNet5(device: device)), train, test)))
    .ToList();
report.Heading("Optimizers").Add(new TrainingComparison($"Optimizers · LeNet-5 · {Epochs(3)} epochs on {train.Count:N0} images", optimizerRuns));
foreach (var run in optimizerRuns)
    Console.WriteLine(Final(run));

torch.manual_seed(3);
var scheduleStart = new LeNet5(device: device);
var sgd = new TrainerOptions(Epochs: quick ? 2 : 4, Optimizer: "sgd", LearningRate: 0.05, Momentum: 0.9);
var scheduleRuns = new[] { "fixed", "step(2, 0.1)", "exponential(0.6)", "cosine", warmup + "+cosine", "onecycle(0.1)" }
    .Select(s => new LabeledHistory(s, new Trainer(sgd with { Schedule = LearningRateSchedules.Parse(s, sgd.Epochs, sgd.StepsPerEpoch(train.Count)) })
        .Fit(Copy(scheduleStart, () => new LeNet5(device: device)), train, test)))
    .ToList();
report.Heading("Learning-rate schedules").Add(new TrainingComparison($"Learning-rate schedules · SGD momentum 0.9 · {sgd.Epochs} epochs", scheduleRuns));

torch.manual_seed(4);
var mlpStart = new LeNet300_100(device: device);
var penalties = new (string Label, IRegularizer? Penalty)[]
{
    ("none", null),
    ("L2 1e-3", new L2Regularizer(1e-3)),
    ("L1 3e-5", new L1Regularizer(3e-5)),
    ("Elastic Net α 3e-4, ρ 0.1", new ElasticNetRegularizer(3e-4, 0.1)),
};
var regularized = new List<(string Label, LeNet300_100 Model, TrainingHistory History)>();
foreach (var (label, penalty) in penalties)
{
    var mlp = Copy(mlpStart, () => new LeNet300_100(device: device));
    regularized.Add((label, mlp, new Trainer(new TrainerOptions(Epochs: Epochs(3), LearningRate: 1e-3, Regularizer: penalty)).Fit(mlp, train, test)));
}
report.Heading("Penalties").Add(new WeightDistributions($"LeNet-300-100 weights after {Epochs(3)} epochs", regularized.Select(r => WeightDistribution.Of(r.Model, r.Label, range: 0.15)).ToList()));
foreach (var r in regularized)
{
    var nearZero = WeightDistribution.Of(r.Model, r.Label).NearZeroFraction;
    Pruner.PruneTo(r.Model, Pruner.DefaultTargets(r.Model), 0.9, new MagnitudeCriterion(1), PruningScope.Global);
    var pruned = Trainer.Evaluate(r.Model, test).Accuracy;
    Samples.Say(report, $"{r.Label}: dense {r.History.Last!.TestAccuracy:P2}, {nearZero:P1} of the weights near zero, {pruned:P2} when pruned to 90 %");
}

torch.nn.Module<torch.Tensor, torch.Tensor> DeepMlp()
{
    var layers = new List<(string, torch.nn.Module<torch.Tensor, torch.Tensor>)> { ("flatten", torch.nn.Flatten()) };
    var width = 784L;
    for (var i = 1; i <= 7; i++)
    {
        layers.Add(($"fc{i}", torch.nn.Linear(width, 256)));
        layers.Add(($"relu{i}", torch.nn.ReLU()));
        width = 256;
    }
    layers.Add(("out", torch.nn.Linear(256, 10)));
    return torch.nn.Sequential(layers).to(device);
}
var inits = new (string Label, IWeightInitializer? Scheme)[]
{
    ("default (kaiming-uniform a=√5)", null),
    ("xavier-normal", new XavierNormal()),
    ("kaiming-normal (relu)", new KaimingNormal()),
    ("orthogonal", new Orthogonal()),
    ("zeros", new Zeros()),
};
var initRuns = new List<LabeledHistory>();
foreach (var (label, scheme) in inits)
{
    torch.manual_seed(5);
    var deep = DeepMlp();
    if (scheme is not null)
        WeightInit.Apply(deep, scheme, seed: 5);
    initRuns.Add(new LabeledHistory(label, new Trainer(new TrainerOptions(Epochs: Epochs(2), Optimizer: "sgd", LearningRate: 0.01, Momentum: 0.9)).Fit(deep, train, test)));
}
report.Heading("Initialization").Add(new TrainingComparison($"Initialization · 8-layer ReLU MLP · SGD momentum · {Epochs(2)} epochs", initRuns));
Samples.Save(report, "04-optimization");
