#!/usr/bin/env -S dotnet run
// notebooks/06-tradeoff-study.ipynb without a notebook: a tradeoff study of LeNet-5 (random and magnitude baselines,
// masks at 50-95 %, then channel surgery with Taylor scores; 3 seeds each, the same fine-tuning budget) run in this
// process; accuracy vs compression and speedup curves go to artifacts/06-tradeoff-study.html.
//   dotnet run samples/06-tradeoff-study.cs        (the notebook runs it on a local pool of worker processes)
// PRUNENOTEBOOK_SAMPLES=quick: 500 images, two targets, one seed (CI).
#:project ../src/PruneNotebook.Core/PruneNotebook.Core.csproj
#:project ../src/PruneNotebook.Visualization/PruneNotebook.Visualization.csproj
#:project Support/PruneNotebook.Samples.Support.csproj
// File-based apps default to Native AOT, which turns reflection-based JSON off (sweep directories and records use it).
#:property PublishAot=false

using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Samples;
using PruneNotebook.Visualization;
using static TorchSharp.torch;

TorchNativeLibraries.EnsureLoaded();
var quick = Samples.Quick;
var limit = quick ? 500 : 4_000;
using var fashion = FashionMnist.Load(limit: limit);
manual_seed(0);
using var lenet = new LeNet5();
var report = new HtmlReport("06 · Tradeoff study: LeNet-5, masks vs channels");
report.Heading("Dense model").Add(new Trainer(new TrainerOptions(Epochs: quick ? 1 : 3, Seed: 0)).Fit(lenet, fashion.Train, fashion.Test));

long[] seeds = quick ? [0] : [0, 1, 2];
var fineTune = new TrainStep(Epochs: 1);
var data = new DataSpec(DataSpec.FashionMnistName, limit);
// #!tradeoff lenet --data fashion --sparsities 0.5,0.75,0.9,0.95 --seeds 3
var masks = TradeoffStudy.Run(lenet, new TradeoffOptions("lenet5", data, quick ? [0.5, 0.9] : [0.5, 0.75, 0.9, 0.95], Seeds: seeds, FineTune: fineTune),
    backend: new InProcessBackend());
report.Heading("Masks").Add(masks);
foreach (var p in masks.Points)
    Console.WriteLine($"{p.Criterion,-7} {p.Target:P0}: {p.Compression,5:F1}× smaller, {100 * p.AccuracyBeforeFineTuning,5:F1} % after pruning → {100 * p.Accuracy,5:F1} ± {100 * p.AccuracyStd:F1} % after fine-tuning");
// #!tradeoff lenet --data fashion --channels --sparsities 0.25,0.5,0.75,0.9 --criteria taylor --seeds 3
var channels = TradeoffStudy.Run(lenet, new TradeoffOptions("lenet5", data, quick ? [0.25, 0.5] : [0.25, 0.5, 0.75, 0.9], ["taylor"], seeds, fineTune,
    Mode: TradeoffMode.Channels), backend: new InProcessBackend());
report.Heading("Channels removed by surgery").Add(channels);
Samples.Say(report, $"sweep directories: {masks.SweepDirectory}, {channels.SweepDirectory}");
Samples.Save(report, "06-tradeoff-study");
