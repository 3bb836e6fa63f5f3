#!/usr/bin/env -S dotnet run
// notebooks/02-weight-pruning.ipynb without a notebook: train LeNet-5, prune 90 % of its weights globally by magnitude,
// fine-tune, compare iterative and gradual schedules to 95 %, and run a sensitivity analysis; the figures go to
// artifacts/02-weight-pruning.html.   dotnet run samples/02-weight-pruning.cs
// PRUNENOTEBOOK_SAMPLES=quick: the first 2,000 images and one epoch per stage (CI).
#:project ../src/PruneNotebook.Core/PruneNotebook.Core.csproj
#:project ../src/PruneNotebook.Visualization/PruneNotebook.Visualization.csproj
#:project Support/PruneNotebook.Samples.Support.csproj
// File-based apps default to Native AOT, which turns reflection-based JSON off (sweep directories and records use it).
#:property PublishAot=false

using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Samples;
using PruneNotebook.Visualization;

TorchNativeLibraries.EnsureLoaded();
var quick = Samples.Quick;
var device = TorchDevice.Default;
using var data = FashionMnist.Load(device: device, limit: quick ? 2_000 : null);
var report = new HtmlReport("02 · Weight pruning: LeNet-5 at 90 % and 95 % sparsity");

LeNet5 Copy(LeNet5 source)
{
    var copy = new LeNet5(device: device);
    copy.load_state_dict(source.state_dict());
    return copy;
}

TorchSharp.torch.manual_seed(0);
var model = new LeNet5(device: device);
var training = new TrainerOptions(Epochs: quick ? 1 : 4, BatchSize: 128, LearningRate: 1e-3, Seed: 0);
var denseHistory = new Trainer(training).Fit(model, data.Train, data.Test);
var dense = Copy(model);
var denseAccuracy = denseHistory.Last!.TestAccuracy!.Value;
report.Heading("Dense training").Add(denseHistory);

// #!prune model --amount 0.9 --scope global
report.Heading("90 % of the weights, one global magnitude threshold").Add(new PruneRequest("0.9") { Scope = "global" }.Run(model, Pruner.DefaultTargets(model)));
var prunedAccuracy = Trainer.Evaluate(model, data.Test).Accuracy;
Samples.Say(report, $"Dense {denseAccuracy:P2} → pruned to 90 % without fine-tuning {prunedAccuracy:P2}");
report.Add(SparsityMaps.Create(model));

var fineTuneHistory = new Trainer(training with { Epochs = quick ? 1 : 3, Seed = 1 }).Fit(model, data.Train, data.Test);
var fineTunedAccuracy = fineTuneHistory.Last!.TestAccuracy!.Value;
var weightSparsity = SparsityReport.Create(model).SparsityOf(Pruner.DefaultTargets(model));
if (weightSparsity < 0.8999 || (!quick && fineTunedAccuracy < denseAccuracy - 0.01))
    throw new Exception($"90 % pruning: sparsity {weightSparsity:P2}, accuracy {fineTunedAccuracy:P2} vs dense {denseAccuracy:P2}");
report.Heading("Fine-tuning the pruned network").Add(fineTuneHistory).Add(NetworkSummary.Create(model, [1, 1, 28, 28]));
Samples.Say(report, $"90 % of the weights pruned ({weightSparsity:P2}); accuracy {fineTunedAccuracy:P2} after fine-tuning vs {denseAccuracy:P2} dense");

var iterativeModel = Copy(dense);
var iterative = ScheduledPruning.Run(iterativeModel, data.Train, data.Test,
    new IterativeSchedule(finalSparsity: 0.95, rounds: quick ? 2 : 4, fineTuneEpochs: 1, learningRateFactor: 1.0), training, scope: PruningScope.Global);
var gradualModel = Copy(dense);
var gradualSchedule = quick ? new GradualSchedule(0.0, 0.95, startStep: 0, frequency: 4, prunings: 3) : new GradualSchedule(0.0, 0.95, startStep: 0, frequency: 80, prunings: 15);
var gradual = ScheduledPruning.Run(gradualModel, data.Train, data.Test, gradualSchedule, training with { Epochs = quick ? 1 : 4, Seed = 2 }, scope: PruningScope.Global);
report.Heading("Schedules to 95 %: iterative vs gradual").Add(new PruningComparison([iterative, gradual]));
foreach (var run in new[] { iterative, gradual })
    Samples.Say(report, $"{run.Schedule}: {run.Final!.Sparsity:P1} sparse, {run.Final.TestAccuracy:P2} ({100 * (run.Final.TestAccuracy - run.DenseAccuracy):+0.00;-0.00} pt vs dense) in {run.TotalSeconds:F0} s");

// #!sensitivity dense --data data --amounts 0.3,0.5,0.7,0.8,0.9,0.95,0.99
report.Heading("Sensitivity of each layer").Add(Sensitivity.Analyze(dense, data.Test, Sensitivity.ParseSparsities("0.3,0.5,0.7,0.8,0.9,0.95,0.99")));
Samples.Save(report, "02-weight-pruning");
