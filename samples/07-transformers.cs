#!/usr/bin/env -S dotnet run
// notebooks/07-transformers.ipynb without a notebook: train CharGpt on the fortunes corpus and compare the validation
// perplexity of one-shot magnitude, Wanda and SparseGPT pruning at 50 % and 2:4 (no fine-tuning); then train TinyViT on
// Fashion-MNIST, remove half of every block's attention heads and MLP units (#!compress --amount 0.5 --heads 0.5
// --criterion l1), fine-tune, and time the dense and compressed networks side by side; the reports go to
// artifacts/07-transformers.html.   dotnet run samples/07-transformers.cs
// PRUNENOTEBOOK_SAMPLES=quick: CharGpt trained 150 steps instead of 1,500; 1,000 training and 500 test images, one
// epoch per TinyViT stage (CI).
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
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using PruneNotebook.Samples;
using PruneNotebook.Visualization;
using static TorchSharp.torch;

TorchNativeLibraries.EnsureLoaded();
var quick = Samples.Quick;
var device = TorchDevice.Default;
var report = new HtmlReport("07 · Transformers: post-training pruning of CharGpt, heads and MLP units removed from TinyViT");

// CharGpt on the fortunes corpus; then every Linear layer of its blocks (the layers the papers prune) one-shot at 50 %
// and at 2:4 with magnitude, Wanda and SparseGPT, calibrated on 128 training windows, and the validation perplexity.
using var corpus = FortunesCorpus.Load(length: 64, device: device);
var validation = corpus.Validation.Subset(arange(0, corpus.Validation.Count, quick ? 40 : 8));
using var calibration = corpus.TrainSample(128);
manual_seed(0);
var gpt = new CharGpt(device: device);
var steps = quick ? 150 : 1500;
var watch = System.Diagnostics.Stopwatch.StartNew();
var losses = LanguageModelTraining.Train(gpt, corpus.Train, steps, batchSize: 32, learningRate: 3e-3);
Samples.Say(report, $"CharGpt trained {steps} steps of 32 windows of 64 characters in {watch.Elapsed.TotalSeconds:F0} s (training loss {losses.TakeLast(50).Average():F3} over the last 50 steps)");
var comparison = PerplexityComparison.Measure(gpt, Pruner.DefaultTargets(gpt).Where(t => t.StartsWith("blocks.", StringComparison.Ordinal)).ToList(),
    ["0.5", "2:4"], ["l1", "wanda", "sparsegpt"], calibration, validation);
report.Heading("CharGpt: one-shot pruning of every block's Linear layers, no fine-tuning").Add(comparison);
foreach (var setting in new[] { "0.5", "2:4" })
    Samples.Say(report, $"{setting}: dense {comparison.DensePerplexity:F3}, " + string.Join(", ", comparison.Entries.Where(e => e.Setting == setting).Select(e => $"{PerplexityComparisonHtml.Label(e.Criterion)} {e.Perplexity:F3}")));
using var data = FashionMnist.Load(device: device);
var train = data.Train.Subset(arange(quick ? 1000 : 10000));
var test = data.Test.Subset(arange(quick ? 500 : 2000));

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
