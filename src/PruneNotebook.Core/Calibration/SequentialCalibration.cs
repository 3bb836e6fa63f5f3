using PruneNotebook.Core.Data;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Runtime;
using Linear = TorchSharp.Modules.Linear;
using Sequential = TorchSharp.Modules.Sequential;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Calibration;

/// <summary>
/// Calibration statistics gathered stage by stage, the way the Wanda and SparseGPT papers' code prunes a transformer:
/// stages follow the order the model calls its Linear layers in; the Linear layers of each
/// <see cref="TransformerBlock"/> form one stage, whose statistics come from one forward pass
/// of that block alone over the calibration inputs of that block; those inputs are the outputs of the blocks before it
/// <em>as they are when the stage is reached</em> — already pruned when the caller prunes in module order (as
/// <see cref="Pruner"/> does). A block's outputs are recomputed from its inputs when the next block in the same
/// <c>Sequential</c> is reached; otherwise (the first block, or blocks not chained) a block's inputs are caught by a
/// forward pre-hook during one pass of the whole model. Linear layers outside blocks are gathered by a pass of the
/// whole model through <see cref="CalibrationPass"/>: consecutive ones together, or one by one when
/// <c>oneByOne</c> is set (SparseGPT's layer-by-layer reconstruction). A model without blocks is thus one stage (or
/// one per layer): the one-pass path. Statistics are computed on first request; a request for a stage behind the
/// current one starts again from the model's first stage. Memory: the current block's inputs (samples × positions ×
/// width) plus the statistics of the stages gathered (<see cref="LayerInputStatistics"/>; with Gram matrices only the
/// current stage's are kept).
/// </summary>
internal sealed class SequentialCalibration : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly TensorDataset _data;
    private readonly int _samples;
    private readonly int _batchSize;
    private readonly bool _gram;
    private readonly List<Stage> _stages = [];
    private readonly Dictionary<string, int> _stageOf = [];
    private readonly Dictionary<string, LayerInputStatistics> _statistics = [];
    private readonly HashSet<int> _gathered = [];
    private int _current = -1;
    private List<Tensor>? _inputs;
    private int _inputsStage = -1;

    /// <param name="model">The network.</param>
    /// <param name="data">Calibration data: features of the shape the model takes.</param>
    /// <param name="samples">Examples to use.</param>
    /// <param name="gram">Whether to gather XᵀX as well.</param>
    /// <param name="oneByOne">Whether each Linear layer outside blocks is a stage of its own.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    public SequentialCalibration(nn.Module<Tensor, Tensor> model, TensorDataset data, int samples, bool gram, bool oneByOne, int batchSize = 32)
    {
        _model = model;
        _data = data;
        _samples = samples;
        _gram = gram;
        _batchSize = batchSize;
        var named = ModuleTree.Named(model).ToList();
        var blocks = named.Where(m => m.Module is TransformerBlock).Select(m => m.Path).ToList();
        foreach (var path in CalibrationPass.LinearLayersInCallOrder(model, data))
        {
            var block = blocks.FindIndex(b => path.StartsWith(b + ".", StringComparison.Ordinal));
            var last = _stages.Count > 0 ? _stages[^1] : null;
            if (last is not null && (block >= 0 ? last.Block == blocks[block] : last.Block is null && !oneByOne))
                last.Layers.Add(path);
            else
                _stages.Add(new Stage(block >= 0 ? blocks[block] : null, block >= 0 ? (TransformerBlock)named.First(m => m.Path == blocks[block]).Module : null, [path]));
            _stageOf[path] = _stages.Count - 1;
        }
        for (var i = 1; i < _stages.Count; i++)
            _stages[i].ChainedFromPrevious = Chained(named, _stages[i - 1].Block, _stages[i].Block);
    }

    /// <summary>Stages in module order, each a list of Linear layer names (tests and reports).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Stages => _stages.Select(s => (IReadOnlyList<string>)s.Layers).ToList();

    /// <summary>
    /// The statistics of <paramref name="layer"/>'s inputs, gathered when its stage is reached; <c>null</c> when it is
    /// not a Linear layer of the model or no calibration input reached it. Owned by this object.
    /// </summary>
    /// <exception cref="ArgumentException">The calibration data does not fit the model.</exception>
    public LayerInputStatistics? For(string layer)
    {
        if (!_stageOf.TryGetValue(layer, out var stage))
            return null;
        if (_statistics.TryGetValue(layer, out var known))
            return known;
        if (_gathered.Contains(stage))
            return null;
        if (stage < _current)
            Restart();
        while (_current < stage)
        {
            _current++;
            if (_gram)
                DropGathered();
            if (_current == stage)
                Gather(_current);
        }
        return _statistics.GetValueOrDefault(layer);
    }

    private void Gather(int index)
    {
        var stage = _stages[index];
        _gathered.Add(index);
        if (stage.Module is null)
        {
            foreach (var (layer, stats) in CalibrationPass.Gather(_model, _data, stage.Layers, _gram, _samples, _batchSize, requireEveryLayer: false))
                _statistics[layer] = stats;
            return;
        }
        var inputs = InputsOf(index);
        var modules = ModuleTree.Named(_model).Where(m => stage.Layers.Contains(m.Path)).ToList();
        var gathered = new Dictionary<string, LayerInputStatistics>();
        var removers = new List<Action>();
        var device = TorchDevice.Of(_model);
        try
        {
            foreach (var (path, module) in modules)
            {
                var linear = (Linear)module;
                var stats = new LayerInputStatistics(path, linear.in_features, device, _gram);
                gathered[path] = stats;
                removers.Add(linear.register_forward_pre_hook((_, input) =>
                {
                    stats.Add(input);
                    return input;
                }).remove);
            }
            Run(stage.Module, inputs, keepOutputs: false);
        }
        catch
        {
            foreach (var s in gathered.Values)
                s.Dispose();
            throw;
        }
        finally
        {
            foreach (var remove in removers)
                remove();
        }
        foreach (var (layer, stats) in gathered)
        {
            if (stats.Rows == 0)
                stats.Dispose();
            else
                _statistics[layer] = stats;
        }
    }

    /// <summary>The calibration inputs of block stage <paramref name="index"/>: the previous block's outputs when chained, else caught in a pass of the model.</summary>
    private List<Tensor> InputsOf(int index)
    {
        var stage = _stages[index];
        if (_inputs is not null && _inputsStage == index - 1 && stage.ChainedFromPrevious)
        {
            var outputs = Run(_stages[index - 1].Module!, _inputs, keepOutputs: true)!;
            SetInputs(outputs, index);
            return outputs;
        }
        var caught = new List<Tensor>();
        var remover = stage.Module!.register_forward_pre_hook((_, input) =>
        {
            caught.Add(input.detach().clone().DetachFromDisposeScope());
            return input;
        }).remove;
        try
        {
            CalibrationPass.Forward(_model, _data, _samples, _batchSize, TorchDevice.Of(_model));
        }
        catch
        {
            foreach (var t in caught)
                t.Dispose();
            throw;
        }
        finally
        {
            remover();
        }
        SetInputs(caught, index);
        return caught;
    }

    private void SetInputs(List<Tensor> inputs, int stage)
    {
        if (_inputs is not null && !ReferenceEquals(_inputs, inputs))
            foreach (var t in _inputs)
                t.Dispose();
        _inputs = inputs;
        _inputsStage = stage;
    }

    /// <summary>Runs one block over stored inputs (eval mode, no gradients); returns its outputs when asked.</summary>
    private static List<Tensor>? Run(nn.Module<Tensor, Tensor> block, List<Tensor> inputs, bool keepOutputs)
    {
        var wasTraining = block.training;
        block.eval();
        var outputs = keepOutputs ? new List<Tensor>(inputs.Count) : null;
        try
        {
            using var noGrad = no_grad();
            foreach (var x in inputs)
            {
                using var scope = NewDisposeScope();
                var y = block.call(x);
                outputs?.Add(y.detach().clone().DetachFromDisposeScope());
            }
            return outputs;
        }
        catch
        {
            foreach (var t in outputs ?? [])
                t.Dispose();
            throw;
        }
        finally
        {
            block.train(wasTraining);
        }
    }

    private void DropGathered()
    {
        foreach (var s in _statistics.Values)
            s.Dispose();
        _statistics.Clear();
        _gathered.Clear();
    }

    private void Restart()
    {
        DropGathered();
        SetInputs([], -1);
        _current = -1;
    }

    /// <summary>Whether block <paramref name="next"/> directly follows block <paramref name="previous"/> in one <c>Sequential</c> (so its inputs are the previous block's outputs).</summary>
    private static bool Chained(List<(string Path, nn.Module Module)> named, string? previous, string? next)
    {
        if (previous is null || next is null)
            return false;
        var parentPath = Parent(previous);
        if (Parent(next) != parentPath || named.FirstOrDefault(m => m.Path == parentPath).Module is not Sequential parent)
            return false;
        var children = parent.named_children().Select(c => ModuleTree.Qualify(parentPath, c.name)).ToList();
        var i = children.IndexOf(previous);
        return i >= 0 && i + 1 < children.Count && children[i + 1] == next;
    }

    private static string Parent(string path) => path.LastIndexOf('.') is var dot and >= 0 ? path[..dot] : "";

    /// <inheritdoc />
    public void Dispose()
    {
        DropGathered();
        SetInputs([], -1);
    }

    private sealed class Stage(string? block, TransformerBlock? module, List<string> layers)
    {
        public string? Block { get; } = block;
        public TransformerBlock? Module { get; } = module;
        public List<string> Layers { get; } = layers;
        public bool ChainedFromPrevious { get; set; }
    }
}
