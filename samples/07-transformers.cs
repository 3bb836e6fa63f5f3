#!/usr/bin/env -S dotnet run
// notebooks/07-transformers.ipynb without a notebook: train TinyViT on Fashion-MNIST, remove half of every block's
// attention heads and MLP units (#!compress --amount 0.5 --heads 0.5 --criterion l1), fine-tune, and time the dense and
// compressed networks side by side; the reports go to artifacts/07-transformers.html.   dotnet run samples/07-transformers.cs
// PRUNENOTEBOOK_SAMPLES=quick: 1,000 training and 500 test images, one epoch per stage (CI).
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
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using PruneNotebook.Samples;
using PruneNotebook.Visualization;
using static TorchSharp.torch;

TorchNativeLibraries.EnsureLoaded();
var quick = Samples.Quick;
var device = TorchDevice.Default;
using var data = FashionMnist.Load(device: device);
var train = data.Train.Subset(arange(quick ? 1000 : 10000));
var test = data.Test.Subset(arange(quick ? 500 : 2000));
var report = new HtmlReport("07 · Transformers: attention heads and MLP units removed from TinyViT");

manual_seed(0);
var vit = new TinyViT(device: device);
var dense = new TinyViT(device: device);   // the dense network, kept for timing side by side
report.Add(NetworkSummary.Create(vit, [1, 1, 28, 28]));
var vitDense = new Trainer(new TrainerOptions(Epochs: quick ? 1 : 3, LearningRate: 2e-3, Optimizer: "adamw", Seed: 0)).Fit(vit, train, test);
dense.load_state_dict(vit.state_dict());
report.Heading("Dense TinyViT").Add(vitDense);

// #!compress vit --amount 0.5 --heads 0.5 --criterion l1 --data test
var options = CompressionOptions.Parse("0.5", heads: "0.5");
report.Heading("Half of every block's heads and MLP units removed")
    .Add(NetworkSurgery.Compress(vit, options, Criteria.Create("l1", null, CriterionUse.Groups), measurement: new SurgeryMeasurement(test), data: test));
var vitTuned = new Trainer(new TrainerOptions(Epochs: quick ? 1 : 2, LearningRate: 1e-3, Optimizer: "adamw", Seed: 1)).Fit(vit, train, test);
report.Heading("Fine-tuned").Add(vitTuned);

// Dense and compressed forward passes at batch 64, alternating; the median of each.
long[] batch = [64, 1, 28, 28];
Latency.Measure(dense, batch, 1, warmup: 3);
Latency.Measure(vit, batch, 1, warmup: 3);
var times = (Dense: new List<double>(), Compressed: new List<double>());
for (var i = 0; i < (quick ? 5 : 15); i++)
{
    times.Dense.Add(Latency.Measure(dense, batch, 1, warmup: 0));
    times.Compressed.Add(Latency.Measure(vit, batch, 1, warmup: 0));
}
static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var before = NetworkSummary.Create(dense, [1, 1, 28, 28]);
var after = NetworkSummary.Create(vit, [1, 1, 28, 28]);
var denseAccuracy = vitDense.Last!.TestAccuracy!.Value;
var tunedAccuracy = vitTuned.Last!.TestAccuracy!.Value;
Samples.Say(report, string.Join("; ", vit.Blocks.Select((b, i) => $"block {i}: {b.Attention.Heads} heads, {b.MlpHidden} MLP units")));
Samples.Say(report, $"TinyViT: {before.TotalParameters:N0} → {after.TotalParameters:N0} parameters, {before.TotalMacs / 1e6:F2} M → {after.TotalMacs / 1e6:F2} M MACs per image " +
                    $"({(double)before.TotalMacs / after.TotalMacs:F2}× fewer); accuracy {denseAccuracy:P2} dense → {tunedAccuracy:P2} after fine-tuning; " +
                    $"measured speedup at batch 64: {Median(times.Dense) / Median(times.Compressed):F2}× ({Median(times.Dense):F1} ms → {Median(times.Compressed):F1} ms)");
report.Add(after);
Samples.Save(report, "07-transformers");
