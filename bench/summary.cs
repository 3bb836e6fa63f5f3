#!/usr/bin/env -S dotnet run
// The start-up benchmark's peer of `prunenotebook summary --model lenet5`: the same summary from a C# file-based
// script (dotnet run bench/summary.cs), timed by `bash bench/run.sh startup`.
#:project ../src/PruneNotebook.Core/PruneNotebook.Core.csproj

using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Runtime;

TorchNativeLibraries.EnsureLoaded();
using var model = ModelZoo.Create("lenet5");
var summary = NetworkSummary.Create(model, InputShapes.Infer(model)!);
foreach (var layer in summary.Layers)
    Console.WriteLine($"{layer.Name,-10} {layer.Type,-10} ({string.Join(", ", layer.OutputShape)}) {layer.Parameters,10:N0} {layer.Macs,12:N0}");
Console.WriteLine($"total {summary.TotalParameters:N0} parameters, {summary.TotalMacs:N0} MACs");
