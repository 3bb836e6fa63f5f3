#!/usr/bin/env -S dotnet run
// notebooks/01-quickstart.ipynb without a notebook: load Fashion-MNIST, summarize LeNet-5, train it two epochs and
// write the summary and the training curves to artifacts/01-quickstart.html (plotly.js inlined, opens offline).
//   dotnet run samples/01-quickstart.cs
// PRUNENOTEBOOK_SAMPLES=quick runs a smaller version (CI): the first 4,000 images, one epoch.
#:project ../src/PruneNotebook.Core/PruneNotebook.Core.csproj
#:project ../src/PruneNotebook.Visualization/PruneNotebook.Visualization.csproj
#:project Support/PruneNotebook.Samples.Support.csproj
// File-based apps default to Native AOT, which turns reflection-based JSON off (sweep directories and records use it).
#:property PublishAot=false

using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Samples;
using PruneNotebook.Visualization;

var quick = Samples.Quick;
TorchNativeLibraries.EnsureLoaded();
var device = TorchDevice.Default;
using var data = FashionMnist.Load(device: device, limit: quick ? 4_000 : null);
Console.WriteLine($"{data.Train.Count:N0} training and {data.Test.Count:N0} test images of shape ({string.Join(", ", data.Train.ExampleShape)}) on {device.type}");

TorchSharp.torch.manual_seed(0);
using var model = new LeNet5(device: device);
var report = new HtmlReport("01 · Quick start: LeNet-5 on Fashion-MNIST");
report.Add(NetworkSummary.Create(model, [1, 1, 28, 28]));

var trainer = new Trainer(new TrainerOptions(Epochs: quick ? 1 : 2, BatchSize: 128, LearningRate: 1e-3, Optimizer: "adam", Seed: 0));
var history = trainer.Fit(model, data.Train, data.Test);
report.Add(history);

var accuracy = history.Last!.TestAccuracy!.Value;
if (!quick && accuracy < 0.85)
    throw new Exception($"LeNet-5 reached only {accuracy:P1} test accuracy after two epochs; expected at least 85 %.");
var summary = NetworkSummary.Create(model, [1, 1, 28, 28]);
var line = $"Test accuracy after {history.Epochs.Count} epochs: {accuracy:P2} ({history.TotalSeconds:F1} s of training); {summary.TotalParameters:N0} parameters, {summary.TotalMacs:N0} MACs per image";
Console.WriteLine(line);
report.Paragraph(line);
Samples.Save(report, "01-quickstart");
