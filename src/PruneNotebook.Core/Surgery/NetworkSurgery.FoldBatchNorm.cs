using PruneNotebook.Core.Analysis;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

public static partial class NetworkSurgery
{
    /// <summary>
    /// Folds every BatchNorm that directly follows a convolution or Linear layer into that layer, for inference: the layer
    /// is rebuilt with weights <c>W·s</c> and bias <c>(b − μ)·s + β</c>, where <c>s = γ / √(σ² + ε)</c> from the running
    /// statistics, and the BatchNorm is replaced by an identity (PyTorch: <c>torch.nn.utils.fuse_conv_bn_eval</c>). The
    /// network then computes the same outputs in evaluation mode without the BatchNorm passes. Training it afterwards
    /// no longer normalizes by batch statistics, so fold after training and fine-tuning.
    /// </summary>
    /// <remarks>
    /// A pair is found by tracing one forward pass: the BatchNorm's input is the layer's output, at every call of either
    /// (a block applied twice folds once; a BatchNorm called after two different layers, or a layer also called without
    /// its BatchNorm, cannot fold). A BatchNorm without running statistics, or held in a field whose declared type cannot
    /// take an identity, is left in place (the operation text names it). A module registered under several names is
    /// replaced under all of them. Before the report, the folded network's outputs are compared with the original's on a
    /// random batch; if they differ (e.g. forward also uses the layer's output elsewhere), every swap is undone.
    /// </remarks>
    /// <param name="model">The trained network.</param>
    /// <param name="inputShape">Input shape with batch dimension; default from the model (<see cref="InputShapes.Infer"/>).</param>
    /// <param name="measurement">How to measure before and after; default latency of a batch of 64, no accuracy.</param>
    /// <exception cref="ArgumentException">
    /// Nothing can be folded, a layer to fold carries pruning masks, the model cannot run on the shape, or folding would
    /// change its outputs. The model is unchanged.
    /// </exception>
    public static SurgeryReport FoldBatchNorm(nn.Module<Tensor, Tensor> model, IReadOnlyList<long>? inputShape = null, SurgeryMeasurement? measurement = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        measurement ??= new SurgeryMeasurement();
        measurement.Validate();
        var shape = DependencyGraph.ResolveShape(model, inputShape);
        var (pairs, kept) = FoldablePairs(model, shape);
        if (pairs.Count == 0)
            throw new ArgumentException(kept.Count == 0
                ? $"{model.GetType().Name} has no BatchNorm directly after a convolution or Linear layer: nothing to fold."
                : $"No BatchNorm of {model.GetType().Name} can be folded: {string.Join("; ", kept)}.");
        var maskedNames = PruningMasks.Of(model).Select(m => m.Name).ToHashSet();
        var masked = pairs.FirstOrDefault(p => maskedNames.Contains(p.Layer + ".weight") || maskedNames.Contains(p.Layer + ".bias"));
        if (masked.Layer is not null)
            throw new ArgumentException(
                $"'{masked.Layer}' has pruning masks: make them permanent first (PruningMasks.MakePermanent), so that folding cannot be undone by a mask reset.");
        var operation = "fold batchnorm" + (kept.Count == 0 ? "" : $" (kept: {string.Join("; ", kept)})");
        long[] one = [1, .. shape.Skip(1)];
        return Operate(model, one, measurement, operation, () => Fold(model, shape, pairs));
    }

    private readonly record struct FoldPair(string Layer, nn.Module LayerModule, string Norm, BatchNorm NormModule);

    /// <summary>The (layer, BatchNorm) pairs to fold, and why other BatchNorms after a layer stay.</summary>
    private static (List<FoldPair> Pairs, List<string> Kept) FoldablePairs(nn.Module<Tensor, Tensor> model, long[] shape)
    {
        // The last layer that wrote each storage: an in-place layer in between (e.g. ReLU(inplace)) takes the BatchNorm's input over.
        var producedBy = new Dictionary<(IntPtr, long), (string Name, nn.Module Module)>();
        var follows = new List<(string Name, BatchNorm Module, (string Name, nn.Module Module)? Producer)>();
        var calls = new Dictionary<string, int>(); // calls per traced layer: a pair must hold at every call of its layer
        var hooked = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        var removers = new List<Action>();
        var keepAlive = new List<Tensor>();
        var wasTraining = model.training;
        try
        {
            foreach (var (path, module) in ModuleTree.Named(model))
            {
                if (module.children().Any() || module is not nn.Module<Tensor, Tensor> hookable || !hooked.Add(module))
                    continue;
                var name = path;
                removers.Add(hookable.register_forward_hook((m, input, output) =>
                {
                    keepAlive.Add(input.alias().DetachFromDisposeScope());
                    keepAlive.Add(output.alias().DetachFromDisposeScope());
                    calls[name] = calls.GetValueOrDefault(name) + 1;
                    if (m is BatchNorm norm)
                        follows.Add((name, norm, producedBy.TryGetValue(DependencyGraph.StorageKey(input), out var producer) ? producer : null));
                    producedBy[DependencyGraph.StorageKey(output)] = (name, m);
                    return output;
                }).remove);
            }
            model.eval();
            using var noGrad = no_grad();
            using var input = Analysis.InputShapes.Zeros(model, shape, TorchDevice.Of(model));
            DependencyGraph.Forward(model, input, shape).Dispose();
        }
        finally
        {
            foreach (var remove in removers)
                remove();
            foreach (var tensor in keepAlive)
                tensor.Dispose();
            model.train(wasTraining);
        }

        var pairs = new List<FoldPair>();
        var kept = new List<string>();
        foreach (var byNorm in follows.GroupBy(f => f.Name))
        {
            var (name, norm, _) = byNorm.First();
            var layers = byNorm.Select(f => f.Producer).Where(p => p is { Module: Conv2d or Linear }).Select(p => p!.Value).DistinctBy(p => p.Name).ToList();
            if (layers.Count == 0)
                continue;
            var layer = layers[0];
            var reason = layers.Count > 1 || byNorm.Any(f => f.Producer is not { Module: Conv2d or Linear })
                    ? $"it is called after {string.Join(" and ", byNorm.Select(f => f.Producer is { } p ? $"'{p.Name}'" : "an input no layer made").Distinct())}, and can fold into one layer only"
                : calls[layer.Name] > byNorm.Count() ? $"'{layer.Name}' is called {calls[layer.Name]} times, {byNorm.Count()} of them before it"
                : norm.running_mean is null || norm.running_var is null ? "it has no running statistics"
                : ModuleSwap.CannotReplaceEverywhere(model, norm, typeof(Identity)) ?? ModuleSwap.CannotReplaceEverywhere(model, layer.Module, layer.Module.GetType());
            if (reason is null)
                pairs.Add(new FoldPair(layer.Name, layer.Module, name, norm));
            else
                kept.Add($"'{name}': {reason}");
        }
        return (pairs, kept);
    }

    /// <summary>Swaps every pair for its folded layer and an identity, then checks the outputs; undoes everything if they differ.</summary>
    private static List<LayerChange> Fold(nn.Module<Tensor, Tensor> model, long[] shape, List<FoldPair> pairs)
    {
        var wasTraining = model.training;
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(0);
        long[] batch = [Math.Min(4, shape[0]), .. shape.Skip(1)];
        var input = randn(batch, generator: generator).to(TorchDevice.Of(model));
        var expected = DependencyGraph.Forward(model, input, batch);
        var swapped = new List<(nn.Module Replacement, nn.Module Original)>();
        try
        {
            foreach (var pair in pairs)
            {
                var folded = Folded(pair);
                ModuleSwap.ReplaceEverywhere(model, pair.LayerModule, folded);
                swapped.Add((folded, pair.LayerModule));
                var identity = nn.Identity();
                ModuleSwap.ReplaceEverywhere(model, pair.NormModule, identity);
                swapped.Add((identity, pair.NormModule));
            }
            if (!OutputAgreement.Holds(DependencyGraph.Forward(model, input, batch), expected))
                throw new ArgumentException(
                    $"Folding the BatchNorms of {model.GetType().Name} would change its outputs (its forward uses a layer's output outside the BatchNorm), so nothing was folded.");
        }
        catch
        {
            for (var i = swapped.Count - 1; i >= 0; i--)
                ModuleSwap.ReplaceEverywhere(model, swapped[i].Replacement, swapped[i].Original);
            throw;
        }
        finally
        {
            model.train(wasTraining);
        }
        return pairs.Select(p => new LayerChange(p.Norm, $"{p.NormModule.GetType().Name} → folded into {p.Layer}",
            p.NormModule.num_features, 0, p.NormModule.num_features, 0)).ToList();
    }

    /// <summary>The layer of <paramref name="pair"/> rebuilt with its BatchNorm folded in (eval-mode arithmetic, in float64).</summary>
    private static nn.Module Folded(FoldPair pair)
    {
        var norm = pair.NormModule;
        var mean = norm.running_mean!.to_type(ScalarType.Float64);
        var scale = norm.running_var!.to_type(ScalarType.Float64).add(norm.eps).rsqrt();
        if (norm.affine)
            scale = scale.mul(norm.weight!.to_type(ScalarType.Float64));
        var shift = norm.affine ? norm.bias!.to_type(ScalarType.Float64) : zeros_like(mean);
        var (weight, bias, result) = pair.LayerModule switch
        {
            Conv2d conv => (conv.weight!, conv.bias, (nn.Module)Conv2dSurgeon.Like(conv, conv.in_channels, conv.out_channels, hasBias: true)),
            Linear linear => (linear.weight!, linear.bias, nn.Linear(linear.in_features, linear.out_features, true, linear.weight!.device, linear.weight.dtype)),
            _ => throw new InvalidOperationException($"'{pair.Layer}' ({pair.LayerModule.GetType().Name}) cannot take a BatchNorm."),
        };
        long[] perUnit = [-1, .. Enumerable.Repeat(1L, (int)weight.dim() - 1)];
        var parameters = result.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        parameters["weight"].copy_(weight.to_type(ScalarType.Float64).mul(scale.view(perUnit)));
        var folded = bias is null ? mean.neg() : bias.to_type(ScalarType.Float64).sub(mean);
        parameters["bias"].copy_(folded.mul_(scale).add_(shift));
        result.train(pair.LayerModule.training);
        return result;
    }
}
