using PruneNotebook.Core.Data;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Scoring;

/// <summary>
/// What a criterion may use while one pruning call scores: the model, the data it may measure on (a training or
/// calibration set, for criteria such as Taylor or APoZ), the input shape, and values criteria compute once per call
/// and share (a dependency graph, one calibration pass's statistics). The caller (<c>Pruner</c>, <c>ScheduledPruning</c>,
/// <c>Sensitivity</c>, <c>NetworkSurgery.Compress</c>) makes one per call and disposes it afterwards.
/// </summary>
/// <param name="model">The network whose parameters are scored.</param>
/// <param name="data">Data the criterion may measure on, or <c>null</c>.</param>
/// <param name="inputShape">The network's input shape with batch dimension, when the caller knows it.</param>
public sealed class ScoringContext(nn.Module model, TensorDataset? data = null, IReadOnlyList<long>? inputShape = null) : IDisposable
{
    private readonly Dictionary<string, object> _shared = [];

    /// <summary>The network whose parameters are scored.</summary>
    public nn.Module Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Data the criterion may measure on, or <c>null</c>.</summary>
    public TensorDataset? Data { get; } = data?.CheckFinite("the data the criterion measures on");

    /// <summary>
    /// The input shape with batch dimension: the one given, else a batch of one example of <see cref="Data"/>, else
    /// <c>null</c> (the model's own, where it knows it).
    /// </summary>
    public IReadOnlyList<long>? InputShape { get; } = inputShape ?? (data is null ? null : [1, .. data.ExampleShape]);

    /// <summary>The data, for a criterion that measures on it.</summary>
    /// <param name="criterion">The criterion asking.</param>
    /// <param name="what">What it measures, e.g. "gradients of the loss".</param>
    /// <exception cref="ArgumentException">No data was given.</exception>
    public TensorDataset RequireData(ICriterion criterion, string what) =>
        Data ?? throw new ArgumentException($"The {criterion.Name} criterion measures {what} on data: pass data (--data <dataset>) to prune with it.");

    /// <summary>The model as a network that maps a batch to outputs, for a criterion that runs it.</summary>
    /// <exception cref="ArgumentException">The model does not take one tensor and return one.</exception>
    public nn.Module<Tensor, Tensor> Network(ICriterion criterion) =>
        Model as nn.Module<Tensor, Tensor>
        ?? throw new ArgumentException($"The {criterion.Name} criterion runs the model, but {Model.GetType().Name} does not map one tensor to one tensor.");

    /// <summary>The value stored under <paramref name="key"/>, created by <paramref name="create"/> on first use in this call.</summary>
    /// <remarks>Values that are <see cref="IDisposable"/> are disposed with the context.</remarks>
    public T Shared<T>(string key, Func<T> create) where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        if (_shared.TryGetValue(key, out var value))
            return (T)value;
        var created = create();
        _shared[key] = created;
        return created;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var value in _shared.Values.OfType<IDisposable>())
            value.Dispose();
        _shared.Clear();
    }
}
