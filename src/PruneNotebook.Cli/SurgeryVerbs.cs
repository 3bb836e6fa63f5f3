using System.CommandLine;
using PruneNotebook.Core.Data;
using PruneNotebook.Core.Hosting;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Scoring;
using PruneNotebook.Core.Surgery;
using Spectre.Console;
using static TorchSharp.torch;

namespace PruneNotebook.Cli;

/// <summary>
/// <c>compress</c>, <c>trim</c>, <c>fold-bn</c> and <c>drop-layers</c>: the surgeries of <c>#!compress</c>, <c>#!trim</c>,
/// <c>#!fold-bn</c> and <c>#!drop-layers</c> with their option names and defaults, on a built-in model (with saved weights),
/// each showing the before/after report. <c>--data</c> (a Fashion-MNIST folder) or <c>--evaluate</c> (the default folder)
/// gives the accuracy before and after on the test split, which is also the data <c>taylor</c> and <c>apoz</c> score on,
/// as a FashionMnist variable does in the notebook.
/// </summary>
internal static class SurgeryVerbs
{
    public static IEnumerable<Command> Create(IAnsiConsole console) => [Compress(console), Trim(console), FoldBatchNorm(console), DropLayers(console)];

    private static Command Compress(IAnsiConsole console)
    {
        var common = new SurgeryOptions();
        var amount = new Option<string>("--amount") { Description = "Fraction of the units present (0.5 or 50%) or a count of units (16: per group when local, in total when global).", Required = true };
        var criterion = new CriterionOptions(CriterionUse.Groups);
        var scope = new Option<string?>("--scope") { Description = "local (every layer loses the amount, default) or global." };
        scope.AcceptOnlyFromAmong("local", "global");
        var roundTo = new Option<string?>("--round-to") { Description = "Round kept counts to a multiple of this, e.g. 8." };
        var ignore = new Option<string?>("--ignore") { Description = "Comma-separated layers to keep whole, e.g. fc3." };
        var maxFraction = new Option<string?>("--max-fraction") { Description = "The most any one layer may lose, e.g. 0.8 (default 1)." };
        var heads = new Option<string?>("--heads") { Description = "Attention heads to remove: a fraction of each attention layer's heads (0.5) or a count (1); --amount 0 removes heads only." };
        var normalizedGroups = new Option<bool>("--normalized-groups") { Description = "Also cut groups a LayerNorm normalises (a transformer's residual stream)." };
        var command = new Command("compress", "Remove the least important channels/neurons (and attention heads) of every coupled group and rebuild the layers smaller (#!compress).")
        {
            amount, scope, roundTo, ignore, maxFraction, heads, normalizedGroups,
        };
        criterion.AddTo(command);
        common.AddTo(command);
        command.SetAction(parsed =>
        {
            var output = common.Output.Open(parsed, console, "compress");
            var options = CompressionOptions.Parse(parsed.GetValue(amount), parsed.GetValue(scope), parsed.GetValue(ignore), parsed.GetValue(maxFraction), parsed.GetValue(roundTo),
                parsed.GetValue(heads), parsed.GetValue(normalizedGroups));
            var useData = common.UsesData(parsed);
            var chosen = Criteria.Create(criterion.Name(parsed), criterion.Arguments(parsed), CriterionUse.Groups, dataGiven: useData);
            try
            {
                var shape = common.Shape(parsed);
                using var network = common.LoadModel(parsed);
                using var fashion = useData ? common.LoadData(parsed) : null;
                var report = output.Work("compress", () => NetworkSurgery.Compress(network, options, chosen, shape, new SurgeryMeasurement(fashion?.Test), fashion?.Test));
                Show(output, report, "compress");
            }
            finally
            {
                (chosen as IDisposable)?.Dispose();
            }
            return 0;
        });
        return command;
    }

    private static Command Trim(IAnsiConsole console) =>
        WholeModel(console, "trim", "Remove every unit that pruning zeroed (dead filters and neurons; e.g. of 'prune --structured --save'): the same outputs from a smaller, faster network (#!trim).",
            NetworkSurgery.Trim);

    private static Command FoldBatchNorm(IAnsiConsole console) =>
        WholeModel(console, "fold-bn", "Fold every BatchNorm into the convolution or Linear layer before it, for inference: same eval outputs, fewer passes (#!fold-bn).",
            NetworkSurgery.FoldBatchNorm);

    private static Command WholeModel(IAnsiConsole console, string name, string description,
        Func<nn.Module<Tensor, Tensor>, IReadOnlyList<long>?, SurgeryMeasurement?, SurgeryReport> surgery)
    {
        var common = new SurgeryOptions();
        var command = new Command(name, description);
        common.AddTo(command);
        command.SetAction(parsed =>
        {
            var output = common.Output.Open(parsed, console, name);
            var shape = common.Shape(parsed);
            using var network = common.LoadModel(parsed);
            using var fashion = common.UsesData(parsed) ? common.LoadData(parsed) : null;
            var report = output.Work(name, () => surgery(network, shape, new SurgeryMeasurement(fashion?.Test)));
            Show(output, report, name);
            return 0;
        });
        return command;
    }

    private static Command DropLayers(IAnsiConsole console)
    {
        var common = new SurgeryOptions(dataRequired: true);
        var count = new Option<string?>("--count") { Description = "How many residual blocks or layers to remove (default 1)." };
        var command = new Command("drop-layers", "Rank residual blocks (and shape-keeping layers) by the accuracy lost when each is bypassed and remove the least important (#!drop-layers).")
        {
            count,
        };
        common.AddTo(command);
        command.SetAction(parsed =>
        {
            var output = common.Output.Open(parsed, console, "drop-layers");
            var layers = OptionValues.Integer("--count", parsed.GetValue(count), 1);
            var shape = common.Shape(parsed);
            using var network = common.LoadModel(parsed);
            using var fashion = common.LoadData(parsed);
            var report = output.Work("drop-layers", () => NetworkSurgery.DropLayers(network, fashion.Test, layers, shape));
            Show(output, report, "drop-layers");
            return 0;
        });
        return command;
    }

    /// <summary>The report's tables, then one line when less was removed than asked; the JSON and HTML report of it.</summary>
    private static void Show(CliOutput output, SurgeryReport report, string verb)
    {
        output.Write(Tables.Surgery(report));
        if (report.Candidates.Count > 0)
            output.Write(Tables.DropCandidates(report.Candidates));
        if (report.Removal?.Shortfall is { } shortfall)
            output.Line(shortfall);
        output.Finish(report, $"prunenotebook {verb} · {report.ModelName}", report.Removal?.Shortfall is { } s ? [report, s] : [report]);
    }

    /// <summary>The options every surgery verb shares: the model, the data and the input shape.</summary>
    private sealed class SurgeryOptions(bool dataRequired = false)
    {
        private readonly Option<string> _model = CommonOptions.Model();
        private readonly Option<FileInfo?> _weights = CommonOptions.Weights();
        private readonly Option<string?> _data = CommonOptions.Data();
        private readonly Option<int?> _limit = CommonOptions.Limit();
        private readonly Option<bool> _evaluate = new("--evaluate") { Description = "Measure test accuracy before and after on the default Fashion-MNIST folder (as --data does with its folder)." };
        private readonly Option<string?> _inputShape = new("--input-shape") { Description = "Input shape including the batch size, e.g. 1,1,28,28 (default: the model's own)." };

        public OutputOptions Output { get; } = new();

        public void AddTo(Command command)
        {
            command.Add(_model);
            command.Add(_weights);
            command.Add(_data);
            command.Add(_limit);
            if (!dataRequired)
                command.Add(_evaluate);
            command.Add(_inputShape);
            Output.AddTo(command);
        }

        public bool UsesData(ParseResult parsed) => dataRequired || parsed.GetValue(_evaluate) || parsed.GetValue(_data) is not null;

        public long[]? Shape(ParseResult parsed) => OptionValues.Shape("--input-shape", parsed.GetValue(_inputShape));

        public nn.Module<Tensor, Tensor> LoadModel(ParseResult parsed) => CommonOptions.LoadModel(parsed.GetValue(_model)!, parsed.GetValue(_weights));

        public FashionMnist LoadData(ParseResult parsed)
        {
            CommonOptions.RefuseTextModel(parsed.GetValue(_model)!, "--data and --evaluate measure test accuracy");
            return CommonOptions.LoadData(parsed.GetValue(_data), parsed.GetValue(_limit));
        }
    }
}
