#!/usr/bin/env -S dotnet run
// notebooks/03-structured-pruning.ipynb without a notebook: compress a VGG-style CNN (L1, rounded to 16 channels), a
// ResNet-20 (BatchNorm scales) and LeNet-300-100 (APoZ), fine-tune them, drop two residual blocks and fold BatchNorm;
// the reports go to artifacts/03-structured-pruning.html.   dotnet run samples/03-structured-pruning.cs
// PRUNENOTEBOOK_SAMPLES=quick: a few hundred images and one epoch per stage (CI).
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
using var data = FashionMnist.Load(device: device);
var train = data.Train.Subset(arange(quick ? 640 : 6400));
var test = data.Test.Subset(arange(quick ? 500 : 5000));
var validation = data.Train.Subset(arange(50000, quick ? 50500 : 52000));
var mlpTrain = quick ? train : data.Train;
var mlpTest = quick ? test : data.Test;
var epochs = quick ? 1 : 3;
var report = new HtmlReport("03 · Structured pruning: channels, neurons and layers removed");

manual_seed(0);
var vgg = new VggNet(device: device);
var vggDense = new Trainer(new TrainerOptions(Epochs: epochs, Seed: 0)).Fit(vgg, train, test);
report.Heading("VGG-style CNN").Add(vggDense);
// #!compress vgg --amount 0.5 --criterion l1 --round-to 16 --data test
report.Add(NetworkSurgery.Compress(vgg, CompressionOptions.Parse("0.5", roundTo: "16"), Criteria.Create("l1", null, CriterionUse.Groups), measurement: new SurgeryMeasurement(test), data: test));
var vggTuned = new Trainer(new TrainerOptions(Epochs: epochs, Seed: 1)).Fit(vgg, train, test);
report.Add(vggTuned).Add(NetworkSummary.Create(vgg, [1, 1, 28, 28]));

manual_seed(0);
var resnet = new ResNet20(stemStride: 2, device: device);
var resnetDense = new Trainer(new TrainerOptions(Epochs: epochs, Seed: 0)).Fit(resnet, train, test);
var resnetForDropping = new ResNet20(stemStride: 2, device: device);
resnetForDropping.load_state_dict(resnet.state_dict());
var resnetReport = NetworkSurgery.Compress(resnet, new CompressionOptions(PruningAmount.Of(0.5), RoundTo: 16), new BatchNormScaleCriterion(), measurement: new SurgeryMeasurement(test));
var resnetTuned = new Trainer(new TrainerOptions(Epochs: epochs, Seed: 1)).Fit(resnet, train, test);
report.Heading("ResNet-20, BatchNorm scales").Add(resnetDense).Add(resnetReport).Add(resnetTuned);

manual_seed(0);
var mlp = new LeNet300_100(device: device);
var mlpDense = new Trainer(new TrainerOptions(Epochs: quick ? 1 : 2, Seed: 0)).Fit(mlp, mlpTrain, mlpTest);
var mlpReport = NetworkSurgery.Compress(mlp, new CompressionOptions(PruningAmount.Of(0.5)), new ApozCriterion(), measurement: new SurgeryMeasurement(mlpTest), data: mlpTrain);
var mlpTuned = new Trainer(new TrainerOptions(Epochs: 1, Seed: 1)).Fit(mlp, mlpTrain, mlpTest);
report.Heading("LeNet-300-100, APoZ").Add(mlpReport);
Samples.Say(report, $"LeNet-300-100: dense {mlpDense.Last!.TestAccuracy:P2}; {mlpReport.After.Parameters:N0} of {mlpReport.Before.Parameters:N0} parameters after APoZ trimming: {mlpReport.After.Accuracy:P2} before and {mlpTuned.Last!.TestAccuracy:P2} after one epoch of fine-tuning");

// #!drop-layers resnetForDropping --count 2 --data validation
report.Heading("Layer pruning: two residual blocks dropped").Add(NetworkSurgery.DropLayers(resnetForDropping, validation, 2));
var droppedTuned = new Trainer(new TrainerOptions(Epochs: 1, Seed: 1)).Fit(resnetForDropping, train, test);
report.Add(droppedTuned);
Samples.Say(report, $"ResNet-20: {resnetReport.MacReduction:F2}× fewer MACs, {resnetReport.Speedup:F2}× faster forward, {resnetTuned.Last!.TestAccuracy:P2} after fine-tuning; with 2 blocks dropped: {droppedTuned.Last!.TestAccuracy:P2} after 1 epoch");

// #!fold-bn vgg --data test
report.Heading("BatchNorm folded into the VGG's convolutions").Add(NetworkSurgery.FoldBatchNorm(vgg, measurement: new SurgeryMeasurement(test)));
Samples.Save(report, "03-structured-pruning");
