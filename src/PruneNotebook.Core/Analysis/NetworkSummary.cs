using System.Runtime.InteropServices;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Reports;
using PruneNotebook.Core.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Analysis;

/// <summary>
/// Layer-by-layer description of a network for one input shape: output shapes, parameters (all and
/// nonzero) and multiply-accumulates (dense, and counting only nonzero weights), with totals.
/// </summary>
/// <param name="ModelName">The model's type name.</param>
/// <param name="InputShape">Input shape the summary was traced with, batch dimension included.</param>
/// <param name="Layers">Executed leaf layers in forward order (a layer called twice appears twice).</param>
/// <param name="TotalParameters">Every parameter of the model (including layers the forward pass did not call).</param>
/// <param name="TotalNonzeroParameters">Parameters of the model that are not exactly zero.</param>
/// <param name="TotalMacs">Sum of the counted layers' MACs for one forward pass of <see cref="InputShape"/>.</param>
/// <param name="TotalNonzeroMacs">Sum of the counted layers' nonzero MACs.</param>
/// <param name="UncountedLayerTypes">Layer types whose MACs could not be counted; the MAC totals leave them out.</param>
public sealed record NetworkSummary(
    string ModelName,
    IReadOnlyList<long> InputShape,
    IReadOnlyList<LayerSummary> Layers,
    long TotalParameters,
    long TotalNonzeroParameters,
    long TotalMacs,
    long TotalNonzeroMacs,
    IReadOnlyList<string> UncountedLayerTypes)
{
    /// <summary>Fraction of parameters that are exactly zero (0 for a model without parameters).</summary>
    public double Sparsity => TotalParameters == 0 ? 0 : 1.0 - (double)TotalNonzeroParameters / TotalParameters;

    /// <summary>
    /// Traces one forward pass of <paramref name="module"/> on a zero input of <paramref name="inputShape"/>
    /// (in eval mode, without gradients; the module's training mode is restored afterwards) and summarises it.
    /// Counts Linear, convolution and BatchNorm layers; pooling, activation, flatten, dropout and identity
    /// layers cost no MACs; any other leaf layer type is listed in <see cref="UncountedLayerTypes"/>.
    /// </summary>
    /// <param name="module">The network; its leaf layers must be <c>Module&lt;Tensor, Tensor&gt;</c> to be traced.</param>
    /// <param name="inputShape">Input shape including the batch dimension, e.g. (1, 1, 28, 28).</param>
    /// <param name="device">Device for the input; default: the device of the module's parameters.</param>
    /// <exception cref="ArgumentException">The shape is empty or has a non-positive size, or the model cannot run on it (the message says why).</exception>
    public static NetworkSummary Create(nn.Module<Tensor, Tensor> module, IReadOnlyList<long> inputShape, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputShape);
        PruningMasks.Apply(module);
        if (inputShape.Count == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException(
                $"Input shape ({string.Join(", ", inputShape)}) is not valid: expected positive sizes including the batch dimension, e.g. 1,1,28,28.",
                nameof(inputShape));
        TorchNativeLibraries.EnsureLoaded();
        device ??= TorchDevice.Of(module);

        using var scope = NewDisposeScope();
        var traced = Trace(module, inputShape.ToArray(), device);
        // The parameter counts come from the sparsity report, so both always agree on what is zero.
        var sparsity = SparsityReport.Create(module).Parameters.ToDictionary(p => p.Name);
        var layers = new List<LayerSummary>(traced.Count);
        var uncounted = new List<string>();
        foreach (var (name, layer, outputShape) in traced)
        {
            var own = layer.named_parameters(recurse: false)
                .Select(p => sparsity[string.IsNullOrEmpty(name) ? p.name : $"{name}.{p.name}"])
                .ToList();
            var parameters = own.Sum(p => p.Count);
            var nonzero = parameters - own.Sum(p => p.Zeros);
            var weight = own.FirstOrDefault(p => p.Name == (string.IsNullOrEmpty(name) ? "weight" : $"{name}.weight"));
            var macs = LayerMacs.Count(layer, outputShape, weight is null ? 0 : weight.Count - weight.Zeros);
            if (macs is null && !uncounted.Contains(layer.GetType().Name))
                uncounted.Add(layer.GetType().Name);
            layers.Add(new LayerSummary(name, layer.GetType().Name, outputShape, parameters, nonzero,
                macs?.Dense, macs?.Nonzero, LayerMacs.KernelSize(layer)));
        }

        var total = sparsity.Values.Sum(p => p.Count);
        var totalNonzero = total - sparsity.Values.Sum(p => p.Zeros);
        return new NetworkSummary(
            module.GetType().Name,
            inputShape.ToArray(),
            layers,
            total,
            totalNonzero,
            layers.Sum(l => l.Macs ?? 0),
            layers.Sum(l => l.NonzeroMacs ?? 0),
            uncounted);
    }

    private static List<(string Name, nn.Module Module, long[] OutputShape)> Trace(nn.Module<Tensor, Tensor> module, long[] inputShape, Device device)
    {
        var traced = new List<(string, nn.Module, long[])>();
        var removers = new List<Action>();
        var wasTraining = module.training;
        try
        {
            var hooked = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
            foreach (var (name, child) in module.named_modules())
            {
                // A layer registered under several names (one module twice in a Sequential) is traced once per call, under its first name.
                if (child.children().Any() || !hooked.Add(child))
                    continue;
                if (child is nn.Module<Tensor, Tensor> hookable)
                {
                    var qualified = name;
                    var remover = hookable.register_forward_hook((m, _, output) =>
                    {
                        traced.Add((qualified, m, output.shape));
                        return output;
                    });
                    removers.Add(remover.remove);
                }
            }
            module.eval();
            using var noGrad = no_grad();
            using var input = InputShapes.Zeros(module, inputShape, device);
            try
            {
                module.call(input).Dispose();
            }
            catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? e.GetType().Name;
                throw new ArgumentException(
                    $"{module.GetType().Name} cannot run on input shape ({string.Join(", ", inputShape)}): {reason}", nameof(inputShape), e);
            }
        }
        finally
        {
            foreach (var remove in removers)
                remove();
            module.train(wasTraining);
        }
        return traced;
    }
}
