#!/usr/bin/env -S dotnet run
// notebooks/05-selection.ipynb without a notebook: feature selection (RFE, Lasso, RFECV, the Elastic Net path),
// cross-validated model comparison, input pruning of an MLP, permutation importance and hyperparameter searches on
// scikit-learn's tabular datasets; the charts go to artifacts/05-selection.html.   dotnet run samples/05-selection.cs
// PRUNENOTEBOOK_SAMPLES=quick: fewer epochs and trials for the networks (CI).
#:project ../src/PruneNotebook.Core/PruneNotebook.Core.csproj
#:project ../src/PruneNotebook.Visualization/PruneNotebook.Visualization.csproj
#:project Support/PruneNotebook.Samples.Support.csproj
// File-based apps default to Native AOT, which turns reflection-based JSON off (sweep directories and records use it).
#:property PublishAot=false

using PruneNotebook.Core.Data;
using PruneNotebook.Core.Optimization;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using PruneNotebook.Core.Selection;
using PruneNotebook.Samples;
using PruneNotebook.Visualization;

TorchNativeLibraries.EnsureLoaded();
var quick = Samples.Quick;
using var cancer = TabularDatasets.BreastCancer();
using var wine = TabularDatasets.Wine();
using var diabetes = TabularDatasets.Diabetes();
var report = new HtmlReport("05 · Selection: features, models and hyperparameters");

// #!select-features breast_cancer --method rfe --k 10 --params "C=0.1"   and   --method lasso --params "C=0.05"
var (rfe, _) = FeatureSelectionRecipes.Run(cancer, "rfe", 10, parameters: new Dictionary<string, object> { ["C"] = 0.1 });
var (lasso, _) = FeatureSelectionRecipes.Run(cancer, "lasso", parameters: new Dictionary<string, object> { ["C"] = 0.05 });
report.Heading("Feature selection").Add(rfe).Add(lasso);
var both = rfe.SelectedNames.Intersect(lasso.SelectedNames).ToList();
Samples.Say(report, $"RFE and the Lasso agree on {both.Count} features: {string.Join(", ", both)}");

using (var standardized = new Standardizer().Fit(cancer).Transform(cancer))
    report.Add(new RecursiveFeatureEliminationCV(new LogisticRegression(0.1), step: 2).Fit(standardized));
using var diabetesStd = new Standardizer().Fit(diabetes).Transform(diabetes);
report.Heading("Elastic Net on diabetes").Add(ElasticNetPath.Compute(diabetesStd, l1Ratio: 0.5, count: 100));
var elastic = new ElasticNetCV(l1Ratio: 0.5).Fit(diabetesStd);
Samples.Say(report, $"ElasticNetCV (5-fold): α = {elastic.Alpha:G3}, {elastic.Model.NonzeroCount} of 10 coefficients nonzero");

var fast = new TrainerOptions(Epochs: quick ? 5 : 20, BatchSize: 32, LearningRate: 1e-2);
var mlp16 = NetworkEstimator.Mlp([16], fast);
var candidates = new IEstimator[] { new LogisticRegression(1.0), new LogisticRegression(0.05, LogisticPenalty.L1), mlp16, new InputPrunedNetworkEstimator(mlp16, keep: 10) };
report.Heading("Models compared by cross-validation").Add(CrossValidation.Compare(candidates, cancer, new StratifiedKFold(5, shuffle: true, seed: 0), "breast cancer: stratified 5-fold CV"));
// #!cv logistic,mlp --data wine --folds 5 --shuffle
report.Add(CrossValidation.Compare([EstimatorRecipes.Create("logistic"), EstimatorRecipes.Create("mlp")], wine, CrossValidation.Splitter(wine, 5, shuffle: true)));

var split = new StratifiedKFold(5, shuffle: true, seed: 1).Split(cancer)[0];
var scaling = new Standardizer().Fit(cancer.Rows(split.Train));
using var train = scaling.Transform(cancer.Rows(split.Train));
using var test = scaling.Transform(cancer.Rows(split.Test));
var network = NetworkEstimator.Mlp([16], fast).Fit(train);
var ranking = InputPruning.Rank(InputPruning.WeightNorms(network.Model), train, keep: 8);
report.Heading("Input pruning of an MLP").Add(ranking).Add(PermutationImportance.Compute(network, test, repeats: 5, seed: 0, keep: 8));

// #!search mlp --data wine --random 12 --space "..." --folds 3 --parallel 2 --seed 0
using var random = new SearchRequest
{
    Random = quick ? "3" : "12", Space = "lr=loguniform(1e-3,5e-2);hidden=choice(8,16,32);weight_decay=loguniform(1e-5,1e-2);epochs=int(10,30)",
    Folds = "3", Parallel = "2", Seed = "0",
}.Run(EstimatorRecipes.Factory("mlp"), wine);
report.Heading("Hyperparameter searches").Add(random.Result);
Samples.Say(report, $"best: {ParameterGrid.Format(random.Result.Best.Parameters)}; {random.Result.Metric} {random.Result.Best.Mean:F4}");
// #!search mlp --data wine --grid "lr=1e-3,1e-2,3e-2;hidden=8,32,64" --halving epochs --min-resource 3 --factor 3 --folds 3 --parallel 2
using var halving = new SearchRequest
{
    Grid = quick ? "lr=1e-2,3e-2;hidden=8,32" : "lr=1e-3,1e-2,3e-2;hidden=8,32,64", Halving = "epochs", MinResource = "3", Factor = "3", Folds = "3", Parallel = "2",
}.Run(EstimatorRecipes.Factory("mlp"), wine);
report.Add(halving.Result);
using var grid = new GridSearch(p => new ElasticNet(p.Double("alpha"), p.Double("l1_ratio")),
    ParameterGrid.Parse("alpha=0.01,0.1,1,10;l1_ratio=0.1,0.5,0.9,1"), cv: new KFold(5, shuffle: true, seed: 0)).Fit(diabetes);
report.Add(grid.Result);
Samples.Save(report, "05-selection");
