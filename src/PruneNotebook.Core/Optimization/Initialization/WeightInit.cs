using System.Globalization;
using PruneNotebook.Core.Pruning;
using PruneNotebook.Core.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Initialization;

/// <summary>
/// Applies an initialization scheme to chosen layers of a model, reproducibly. The draws come from a generator seeded
/// with the given seed (one per device), in module order, so the same seed gives the same weights whatever the global
/// random state, and the global generator (<c>torch.manual_seed</c>) is neither used nor advanced. (TorchSharp 0.107's
/// <c>nn.init</c> functions ignore their generator argument, so the schemes fill tensors with
/// <c>Tensor.uniform_/normal_(…, generator)</c> themselves; fan and gain formulas are PyTorch's.)
/// </summary>
public static class WeightInit
{
    /// <summary>The scheme forms <see cref="Parse"/> understands.</summary>
    public static readonly IReadOnlyList<string> Forms =
    [
        "xavier-uniform[(gain)]", "xavier-normal[(gain)]", "kaiming-uniform[(fan-in|fan-out[,relu|leaky-relu|linear|tanh|sigmoid[,slope]])]",
        "kaiming-normal[(…as kaiming-uniform)]", "orthogonal[(gain)]", "zeros", "constant(value)",
    ];

    /// <summary>
    /// Initializes the weights of the chosen layers of <paramref name="model"/> in place with <paramref name="scheme"/>.
    /// Biases of those layers are set to zero (the usual companion of Xavier and Kaiming schemes) unless
    /// <paramref name="zeroBiases"/> is <c>false</c>, which keeps them. Pruned entries (see <see cref="PruningMasks"/>)
    /// stay zero: the masks are applied again after filling. Everything is checked before any weight changes.
    /// </summary>
    /// <param name="model">The model; its parameters are changed in place.</param>
    /// <param name="scheme">The scheme, e.g. <c>new KaimingNormal()</c>.</param>
    /// <param name="layers">
    /// Layer names (<c>fc1</c>, <c>features.0</c>) or layer type names (<c>Linear</c>, <c>Conv2d</c>, case-insensitive), mixed
    /// freely; <c>null</c>: every Linear and convolution layer.
    /// </param>
    /// <param name="seed">Seeds the generator the weights are drawn from.</param>
    /// <param name="zeroBiases">Whether to zero the biases of the initialized layers (default) or keep them.</param>
    /// <returns>The qualified names of the parameters set, in module order (e.g. <c>fc1.weight</c>, <c>fc1.bias</c>).</returns>
    /// <exception cref="ArgumentException">
    /// A name is neither a layer with a weight nor a layer type of the model (the message lists both), no layer was chosen,
    /// or a chosen weight has fewer dimensions than the scheme needs; nothing was changed.
    /// </exception>
    public static IReadOnlyList<string> Apply(nn.Module model, IWeightInitializer scheme, IEnumerable<string>? layers = null, long seed = 0, bool zeroBiases = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scheme);
        TorchNativeLibraries.EnsureLoaded();
        var targets = Choose(model, layers);
        foreach (var (path, module) in targets)
        {
            var weight = ModuleTree.Parameter(module, "weight");
            if (weight.dim() < scheme.MinimumDimensions)
                throw new ArgumentException(
                    $"{scheme.Describe()} needs a weight of at least {scheme.MinimumDimensions} dimensions, but '{ModuleTree.Qualify(path, "weight")}' has shape [{string.Join(", ", weight.shape)}].", nameof(layers));
        }

        var generators = new Dictionary<string, Generator>();
        var written = new List<string>();
        try
        {
            using var noGrad = no_grad();
            foreach (var (path, module) in targets)
            {
                var weight = ModuleTree.Parameter(module, "weight");
                var key = weight.device.ToString();
                if (!generators.TryGetValue(key, out var generator))
                    generators[key] = generator = new Generator(unchecked((ulong)seed), weight.device);
                scheme.Fill(weight, generator);
                written.Add(ModuleTree.Qualify(path, "weight"));
                var bias = module.named_parameters(recurse: false).Where(p => p.name == "bias").Select(p => p.parameter).FirstOrDefault();
                if (zeroBiases && bias is not null)
                {
                    bias.zero_();
                    written.Add(ModuleTree.Qualify(path, "bias"));
                }
            }
            PruningMasks.Apply(model);
        }
        finally
        {
            foreach (var generator in generators.Values)
                generator.Dispose();
        }
        return written;
    }

    /// <summary>The layers <paramref name="layers"/> names, in module order.</summary>
    private static List<(string Path, nn.Module Module)> Choose(nn.Module model, IEnumerable<string>? layers)
    {
        var weighted = ModuleTree.Named(model).Where(m => m.Module.named_parameters(recurse: false).Any(p => p.name == "weight")).ToList();
        if (layers is null)
        {
            var defaults = weighted.Where(m => m.Module is Linear or Convolution).ToList();
            return defaults.Count > 0
                ? defaults
                : throw new ArgumentException($"{model.GetType().Name} has no Linear or convolution layer: name the layers to initialize, e.g. {Listing(weighted)}.", nameof(layers));
        }
        var chosen = new HashSet<string>();
        foreach (var name in layers.Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var byPath = weighted.Where(m => m.Path == name).ToList();
            var matches = byPath.Count > 0 ? byPath : weighted.Where(m => string.Equals(m.Module.GetType().Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
                throw new ArgumentException($"{model.GetType().Name} has no layer or layer type '{name}' with a weight: expected {Listing(weighted)}.", nameof(layers));
            chosen.UnionWith(matches.Select(m => m.Path));
        }
        return chosen.Count > 0
            ? weighted.Where(m => chosen.Contains(m.Path)).ToList()
            : throw new ArgumentException($"No layer named to initialize: expected {Listing(weighted)}, or null for every Linear and convolution layer.", nameof(layers));
    }

    private static string Listing(List<(string Path, nn.Module Module)> weighted)
    {
        var names = weighted.Select(m => m.Path.Length == 0 ? "(the model itself)" : m.Path).Take(24);
        var types = weighted.Select(m => m.Module.GetType().Name).Distinct();
        return $"a layer ({string.Join(", ", names)}{(weighted.Count > 24 ? ", …" : "")}) or a layer type ({string.Join(", ", types)})";
    }

    /// <summary>
    /// Reads a scheme from text (case and spaces do not matter): <c>xavier-uniform</c>, <c>xavier-normal(1.41)</c>,
    /// <c>kaiming-normal</c>, <c>kaiming-uniform(fan-out, leaky-relu, 0.2)</c>, <c>orthogonal(2)</c>, <c>zeros</c>,
    /// <c>constant(0.1)</c>. Arguments left out take the record's defaults (gain 1; fan-in, ReLU, slope 0.01).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown scheme (the message lists the known forms) or a malformed argument.</exception>
    public static IWeightInitializer Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new ArgumentException($"The initialization scheme is empty: expected one of {string.Join(", ", Forms)}.", nameof(spec));
        var text = string.Concat(spec.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant().Replace('_', '-');
        var open = text.IndexOf('(');
        if (open >= 0 && (!text.EndsWith(')') || text.IndexOf(')') != text.Length - 1))
            throw new ArgumentException($"Malformed initialization scheme '{spec}': expected name(arg, ...), e.g. xavier-normal(1.41).", nameof(spec));
        var name = open < 0 ? text : text[..open];
        var args = open < 0 || open == text.Length - 2 ? [] : text[(open + 1)..^1].Split(',');

        double Number(int i, double fallback)
        {
            if (i >= args.Length)
                return fallback;
            return double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new ArgumentException($"'{name}' argument {i + 1} must be a number, got '{args[i]}' in '{spec}'.", nameof(spec));
        }
        T Most<T>(int most, T scheme) => args.Length <= most
            ? scheme
            : throw new ArgumentException($"'{name}' takes at most {most} argument{(most == 1 ? "" : "s")}, got {args.Length} in '{spec}'.", nameof(spec));
        FanMode Mode() => args.Length < 1 ? FanMode.FanIn : args[0] switch
        {
            "fan-in" or "fanin" => FanMode.FanIn,
            "fan-out" or "fanout" => FanMode.FanOut,
            var other => throw new ArgumentException($"'{name}' mode must be fan-in or fan-out, got '{other}' in '{spec}'.", nameof(spec)),
        };
        Nonlinearity Activation() => args.Length < 2 ? Nonlinearity.ReLU : args[1] switch
        {
            "relu" => Nonlinearity.ReLU,
            "leaky-relu" or "leakyrelu" => Nonlinearity.LeakyReLU,
            "linear" => Nonlinearity.Linear,
            "tanh" => Nonlinearity.Tanh,
            "sigmoid" => Nonlinearity.Sigmoid,
            var other => throw new ArgumentException($"'{name}' nonlinearity must be relu, leaky-relu, linear, tanh or sigmoid, got '{other}' in '{spec}'.", nameof(spec)),
        };

        return name switch
        {
            "xavier-uniform" or "glorot-uniform" => Most(1, new XavierUniform(Number(0, 1))),
            "xavier-normal" or "glorot-normal" => Most(1, new XavierNormal(Number(0, 1))),
            "kaiming-uniform" or "he-uniform" => Most(3, new KaimingUniform(Mode(), Activation(), Number(2, 0.01))),
            "kaiming-normal" or "he-normal" => Most(3, new KaimingNormal(Mode(), Activation(), Number(2, 0.01))),
            "orthogonal" => Most(1, new Orthogonal(Number(0, 1))),
            "zeros" => Most(0, new Zeros()),
            "constant" when args.Length == 1 => new Constant(Number(0, 0)),
            "constant" => throw new ArgumentException($"'constant' takes exactly one argument, the value, in '{spec}': e.g. constant(0.1).", nameof(spec)),
            _ => throw new ArgumentException($"Unknown initialization scheme '{name}' in '{spec}': expected one of {string.Join(", ", Forms)}.", nameof(spec)),
        };
    }
}
