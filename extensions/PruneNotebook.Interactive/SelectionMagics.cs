using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Experiments;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Selection;

namespace PruneNotebook.Interactive;

/// <summary><c>#!select-features</c>, <c>#!cv</c> and <c>#!search</c>: feature, model and hyperparameter selection on tabular data.</summary>
internal static class SelectionMagics
{
    private const string SelectExample = "#!select-features breast_cancer --method rfe --k 10";
    private const string CvExample = "#!cv logistic,mlp --data wine --folds 5";
    private const string SearchExample = "#!search mlp --data wine --random 20 --space \"lr=loguniform(1e-3,1e-1);hidden=choice(16,32,64)\"";

    public static void Register(CSharpKernel csharp)
    {
        RegisterSelectFeatures(csharp);
        RegisterCv(csharp);
        RegisterSearch(csharp);
    }

    private static void RegisterSelectFeatures(CSharpKernel csharp)
    {
        var directive = new KernelActionDirective("#!select-features")
        {
            Description = "Rank and select input features: RFE, RFECV, Lasso / L1 logistic, permutation importance or model importances.",
            Parameters =
            {
                DataParameter(csharp, "--data", "The data: a C# TabularDataset variable or a shipped dataset (breast_cancer, wine, diabetes, iris).", implicitName: true),
                new KernelDirectiveParameter("--method", "rfe, rfecv, lasso, permutation or model (default rfe).").AddCompletions(() => FeatureSelectionRecipes.Methods),
                new KernelDirectiveParameter("--k", "Features to keep (default: half for RFE, the nonzero ones for lasso)."),
                EstimatorParameter("--estimator", "Estimator recipe (default logistic for classes, linear otherwise)."),
                new KernelDirectiveParameter("--params", "Estimator parameters, e.g. \"C=0.1\" or \"alpha=0.5;l1_ratio=0.7\"."),
                new KernelDirectiveParameter("--seed", "Seed for permutation importance (default 0)."),
                new KernelDirectiveParameter("--result", "C# variable to store the FeatureSelection in."),
            },
        };
        csharp.AddDirective<SelectFeaturesCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            KernelVariables.CheckNewName(command.Result, "--result");
            var (data, owned) = SelectionVariables.GetData(csharp, command.Data, SelectExample);
            try
            {
                var method = MagicArguments.Choice("--method", command.Method, "rfe", [.. FeatureSelectionRecipes.Methods]);
                int? k = string.IsNullOrWhiteSpace(command.K) ? null : MagicArguments.Integer("--k", command.K, 0);
                var (selection, path) = FeatureSelectionRecipes.Run(data, method, k, command.Estimator, SelectionVariables.Parameters(command.Params),
                    MagicArguments.Integer("--seed", command.Seed, 0));
                if (path is not null)
                    context.Display(path, "text/html");
                context.Display(selection, "text/html");
                SelectionVariables.Store(csharp, command.Result, selection);
            }
            finally
            {
                if (owned)
                    data.Dispose();
            }
        }));
    }

    private static void RegisterCv(CSharpKernel csharp)
    {
        var directive = new KernelActionDirective("#!cv")
        {
            Description = "Cross-validate one or more estimators (comma-separated recipes or IEstimator variables): fold scores, box plots, AIC/BIC.",
            Parameters =
            {
                EstimatorParameter("--estimator", "Comma-separated: recipe names (logistic, linear, ridge, lasso, elasticnet, lassocv, mlp) or C# IEstimator variables.", csharp, implicitName: true),
                DataParameter(csharp, "--data", "The data: a C# TabularDataset variable or a shipped dataset.", required: true),
                new KernelDirectiveParameter("--folds", "Folds (default 5; stratified for class targets)."),
                new KernelDirectiveParameter("--shuffle", "Shuffle rows before splitting.") { Flag = true },
                new KernelDirectiveParameter("--seed", "Shuffle seed (default 0)."),
                new KernelDirectiveParameter("--params", "Parameters for recipe names, e.g. \"alpha=0.1\"."),
                new KernelDirectiveParameter("--parallel", "Folds fitted at once (default 1)."),
                new KernelDirectiveParameter("--result", "C# variable to store the CandidateComparison in."),
            },
        };
        csharp.AddDirective<CvCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            KernelVariables.CheckNewName(command.Result, "--result");
            var (data, owned) = SelectionVariables.GetData(csharp, command.Data, CvExample);
            try
            {
                var estimators = SelectionVariables.GetEstimators(csharp, command.Estimator, SelectionVariables.Parameters(command.Params), CvExample);
                var splitter = SelectionVariables.Splitter(data, command.Folds, command.Shuffle, command.Seed);
                var comparison = CrossValidation.Compare(estimators, data, splitter, parallelism: MagicArguments.Integer("--parallel", command.Parallel, 1));
                context.Display(comparison, "text/html");
                SelectionVariables.Store(csharp, command.Result, comparison);
            }
            finally
            {
                if (owned)
                    data.Dispose();
            }
        }));
    }

    private static void RegisterSearch(CSharpKernel csharp)
    {
        var directive = new KernelActionDirective("#!search")
        {
            Description = "Hyperparameter search with cross-validation: grid, random (uniform, loguniform, int, choice) or successive halving.",
            Parameters =
            {
                new KernelDirectiveParameter("--recipe", "A recipe name (logistic, ridge, lasso, elasticnet, mlp) or a C# Func<IReadOnlyDictionary<string, object>, IEstimator>.")
                    { AllowImplicitName = true, Required = true }.AddCompletions(() => EstimatorRecipes.Names),
                DataParameter(csharp, "--data", "The data: a C# TabularDataset variable or a shipped dataset.", required: true),
                new KernelDirectiveParameter("--grid", "Grid, e.g. \"lr=1e-3,1e-2;weight_decay=0,1e-4\"."),
                new KernelDirectiveParameter("--random", "Random search: number of trials (needs --space)."),
                new KernelDirectiveParameter("--space", "Distributions, e.g. \"lr=loguniform(1e-3,1e-1);hidden=choice(16,32,64);epochs=int(10,40)\"."),
                new KernelDirectiveParameter("--halving", "Successive halving over this resource parameter (e.g. epochs), starting from the --grid or --random candidates."),
                new KernelDirectiveParameter("--min-resource", "First round's budget for --halving (default 1)."),
                new KernelDirectiveParameter("--factor", "Halving factor (default 3)."),
                new KernelDirectiveParameter("--folds", "Folds (default 5; stratified for class targets)."),
                new KernelDirectiveParameter("--seed", "Seed for random draws (default 0)."),
                new KernelDirectiveParameter("--parallel", "Trials evaluated at once (default 1); networks still train one at a time (TorchSharp training is not thread-safe), so it speeds up linear models only."),
                new KernelDirectiveParameter("--result", "C# variable to store the SearchOutcome (results + refitted best model) in."),
            },
        };
        foreach (var parameter in SweepArguments.Parameters("in process (no --backend)"))
            directive.Parameters.Add(parameter);
        csharp.AddDirective<SearchCommand>(directive, (command, context) => MagicHandler.Run(command, context, () =>
        {
            KernelVariables.CheckNewName(command.Result, "--result");
            var (data, owned) = SelectionVariables.GetData(csharp, command.Data, SearchExample);
            try
            {
                var factory = SelectionVariables.GetRecipe(csharp, command.Recipe, SearchExample);
                var request = new SearchRequest
                {
                    Grid = command.Grid, Random = command.Random, Space = command.Space, Halving = command.Halving, MinResource = command.MinResource,
                    Factor = command.Factor, Folds = command.Folds, Seed = command.Seed, Parallel = command.Parallel,
                };
                request.Check();
                SearchOutcome outcome;
                if (string.IsNullOrWhiteSpace(command.Backend))
                {
                    outcome = request.Run(factory, data);
                }
                else
                {
                    var backend = SweepArguments.Backend(command, "local");
                    var run = SweepArguments.RunOptions(command);
                    outcome = SweepArguments.Live(context, command, (progress, token) => request.Run(factory, data, new SweepExecution(backend, SweepArguments.Directory(command), run, progress, token)));
                }
                context.Display(outcome.Result, "text/html");
                SelectionVariables.Store(csharp, command.Result, outcome);
            }
            finally
            {
                if (owned)
                    data.Dispose();
            }
        }));
    }

    private static KernelDirectiveParameter DataParameter(CSharpKernel csharp, string name, string description, bool required = false, bool implicitName = false) =>
        new KernelDirectiveParameter(name, description) { Required = required || implicitName, AllowImplicitName = implicitName }
            .AddCompletions(() => KernelVariables.Names<TabularDataset>(csharp).Concat(TabularDatasets.Names));

    private static KernelDirectiveParameter EstimatorParameter(string name, string description, CSharpKernel? csharp = null, bool implicitName = false) =>
        new KernelDirectiveParameter(name, description) { AllowImplicitName = implicitName, Required = implicitName }
            .AddCompletions(() => EstimatorRecipes.Names.Concat(csharp is null ? [] : KernelVariables.Names<IEstimator>(csharp)));
}
