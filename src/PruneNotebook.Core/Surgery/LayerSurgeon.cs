using static TorchSharp.torch;

namespace PruneNotebook.Core.Surgery;

/// <summary>
/// Knows how to remove units from one module type: which parameter slices belong to an output or input unit, and how
/// to build a smaller copy of a module. Register one per type with <see cref="LayerSurgeons.Register"/>; derive from
/// <see cref="LayerSurgeon{TModule}"/>.
/// </summary>
public abstract class LayerSurgeon
{
    /// <summary>The module type this surgeon handles (exact type; subclasses need their own surgeon).</summary>
    public abstract Type ModuleType { get; }

    /// <summary>
    /// <c>false</c> for layers that map input units to new output units (Linear, Conv2d); <c>true</c> for layers that
    /// carry each input unit through to the same output unit (BatchNorm), whose units are their input's units.
    /// </summary>
    public abstract bool IsPassthrough { get; }

    /// <summary>
    /// Whether this particular module carries each input unit through to the same output unit (see
    /// <see cref="IsPassthrough"/>); a surgeon whose type does both (a depthwise convolution is a passthrough, a dense
    /// one is not) decides per module. Default: <see cref="IsPassthrough"/>.
    /// </summary>
    /// <param name="module">A module of <see cref="ModuleType"/>.</param>
    public virtual bool CarriesUnits(nn.Module module) => IsPassthrough;

    /// <summary>
    /// <c>true</c> when the module's units lie along the last dimension of its input and output (Linear, LayerNorm,
    /// Embedding: token features of (N, T, D)); <c>false</c> (default) when along dimension 1 (convolutions, BatchNorm).
    /// </summary>
    public virtual bool UnitsLast => false;

    /// <summary>
    /// <c>false</c> for a layer whose input is not units of another layer (an Embedding takes token indices): it only
    /// produces units. Default <c>true</c>.
    /// </summary>
    public virtual bool ConsumesUnits => true;

    /// <summary>Why this particular module cannot be cut (e.g. a grouped convolution), or <c>null</c> when it can.</summary>
    /// <param name="module">A module of <see cref="ModuleType"/>.</param>
    public virtual string? Unsupported(nn.Module module) => null;

    /// <summary>Output units: out_features, out_channels, num_features.</summary>
    /// <param name="module">A module of <see cref="ModuleType"/>.</param>
    public abstract long OutputUnits(nn.Module module);

    /// <summary>Input features the module expects along dimension 1 of its input (for a passthrough layer: its units).</summary>
    /// <param name="module">A module of <see cref="ModuleType"/>.</param>
    public abstract long InputFeatures(nn.Module module);

    /// <summary>Local names of the parameters and buffers sliced per output unit, with the dimension the units lie along.</summary>
    /// <param name="module">A module of <see cref="ModuleType"/>.</param>
    public abstract IReadOnlyList<(string Name, int Dim)> OutputSlices(nn.Module module);

    /// <summary>Local names of the parameters sliced per input feature, with the dimension (empty for passthrough layers).</summary>
    /// <param name="module">A module of <see cref="ModuleType"/>.</param>
    public abstract IReadOnlyList<(string Name, int Dim)> InputSlices(nn.Module module);

    /// <summary>
    /// A new module of the same type holding only the kept units, with their weights copied exactly, on the module's
    /// device and dtype and in its training mode. The original module is not changed.
    /// </summary>
    /// <param name="module">A module of <see cref="ModuleType"/>.</param>
    /// <param name="keptOutputs">Ascending int64 indices of the output units to keep, or <c>null</c> to keep all.</param>
    /// <param name="keptInputs">Ascending int64 indices of the input features to keep, or <c>null</c> to keep all (ignored by passthrough layers).</param>
    public abstract nn.Module Shrink(nn.Module module, Tensor? keptOutputs, Tensor? keptInputs);
}

/// <summary>A <see cref="LayerSurgeon"/> for modules of type <typeparamref name="TModule"/>.</summary>
/// <typeparam name="TModule">The module type.</typeparam>
public abstract class LayerSurgeon<TModule> : LayerSurgeon where TModule : nn.Module
{
    /// <inheritdoc />
    public sealed override Type ModuleType => typeof(TModule);

    /// <inheritdoc />
    public sealed override string? Unsupported(nn.Module module) => Unsupported(Cast(module));

    /// <inheritdoc />
    public sealed override long OutputUnits(nn.Module module) => OutputUnits(Cast(module));

    /// <inheritdoc />
    public sealed override long InputFeatures(nn.Module module) => InputFeatures(Cast(module));

    /// <inheritdoc />
    public sealed override IReadOnlyList<(string Name, int Dim)> OutputSlices(nn.Module module) => OutputSlices(Cast(module));

    /// <inheritdoc />
    public sealed override IReadOnlyList<(string Name, int Dim)> InputSlices(nn.Module module) => InputSlices(Cast(module));

    /// <inheritdoc />
    public sealed override nn.Module Shrink(nn.Module module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var source = Cast(module);
        using var noGrad = no_grad();
        var result = Shrink(source, keptOutputs, keptInputs);
        result.train(source.training);
        return result;
    }

    /// <summary>Why <paramref name="module"/> cannot be cut, or <c>null</c>.</summary>
    /// <param name="module">The module.</param>
    protected virtual string? Unsupported(TModule module) => null;

    /// <summary>Output units of <paramref name="module"/>.</summary>
    /// <param name="module">The module.</param>
    protected abstract long OutputUnits(TModule module);

    /// <summary>Input features of <paramref name="module"/>.</summary>
    /// <param name="module">The module.</param>
    protected abstract long InputFeatures(TModule module);

    /// <summary>Parameters and buffers sliced per output unit.</summary>
    /// <param name="module">The module.</param>
    protected abstract IReadOnlyList<(string Name, int Dim)> OutputSlices(TModule module);

    /// <summary>Parameters sliced per input feature.</summary>
    /// <param name="module">The module.</param>
    protected abstract IReadOnlyList<(string Name, int Dim)> InputSlices(TModule module);

    /// <summary>The smaller copy, built and filled under <c>no_grad</c>; the training mode is copied afterwards.</summary>
    /// <param name="module">The module.</param>
    /// <param name="keptOutputs">Indices of kept output units, or <c>null</c> for all.</param>
    /// <param name="keptInputs">Indices of kept input features, or <c>null</c> for all.</param>
    protected abstract TModule Shrink(TModule module, Tensor? keptOutputs, Tensor? keptInputs);

    /// <summary><paramref name="source"/> with only the <paramref name="kept"/> indices along <paramref name="dim"/> (the source itself when <c>null</c>).</summary>
    /// <param name="source">A parameter or buffer.</param>
    /// <param name="dim">The dimension to select along.</param>
    /// <param name="kept">Indices to keep, or <c>null</c>.</param>
    protected static Tensor Select(Tensor source, int dim, Tensor? kept) =>
        kept is null ? source : source.index_select(dim, kept.to(source.device));

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> exactly (same shape required).</summary>
    /// <param name="target">The new module's parameter or buffer.</param>
    /// <param name="source">The kept values.</param>
    protected static void CopyInto(Tensor target, Tensor source)
    {
        using var scope = NewDisposeScope();
        target.copy_(source);
    }

    private TModule Cast(nn.Module module) => module as TModule
        ?? throw new ArgumentException($"The {GetType().Name} handles {typeof(TModule).Name} modules, got a {module?.GetType().Name ?? "null"}.", nameof(module));
}
