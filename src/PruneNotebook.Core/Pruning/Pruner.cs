using PruneNotebook.Core.Calibration;
using PruneNotebook.Core.Models;
using PruneNotebook.Core.Scoring;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;
using PruneNotebook.Core.Reports;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Pruning;

/// <summary>
/// Prunes parameters of any TorchSharp model by masks, with PyTorch's <c>torch.nn.utils.prune</c> semantics:
/// pruning again composes (pruned entries stay pruned, a fraction applies to what remains), exactly k entries or
/// units are pruned, and every mask is computed before any is applied, so a failure leaves the model as it was.
/// Masks belong to the pruned modules (<see cref="PruningMasks"/>): every forward pass sees the masked weights, in any training loop.
/// </summary>
public static class Pruner
{
    /// <summary>
    /// The usual targets, in module order: the weights of every Linear and convolution layer (<see cref="LayerWeights"/>),
    /// or of those a model that chooses (<see cref="IChoosesPruningTargets"/>) prunes by default: for
    /// <see cref="CharGpt"/> the Linear layers of its blocks, not its output head.
    /// </summary>
    public static IReadOnlyList<string> DefaultTargets(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var chooser = model as IChoosesPruningTargets;
        return Layers(model).Where(path => chooser?.IsPruningTarget(path) ?? true).Select(path => ModuleTree.Qualify(path, "weight")).ToList();
    }

    /// <summary>The weights of every Linear and convolution layer, in module order (what regularizers, sparsity maps and histograms show by default).</summary>
    public static IReadOnlyList<string> LayerWeights(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Layers(model).Select(path => ModuleTree.Qualify(path, "weight")).ToList();
    }

    /// <summary>
    /// The layers that hold the weights of inner layers TorchSharp runs natively (nn.TransformerEncoderLayer,
    /// nn.MultiheadAttention, nn.LSTM), by module path and type: they cannot be masked, so <see cref="DefaultTargets"/>
    /// leaves them out and naming them is refused.
    /// </summary>
    public static IReadOnlyList<(string Path, string Type)> NativeLayers(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ModuleTree.Native(model).Select(n => (n.Path, n.Module.GetType().Name)).ToList();
    }

    /// <summary>One line saying which <see cref="NativeLayers"/> pruning without named layers left dense, and why; <c>null</c> when there are none.</summary>
    public static string? NativeLayersNote(nn.Module model)
    {
        var native = NativeLayers(model);
        return native.Count == 0 ? null
            : $"Left dense: {string.Join(", ", native.Select(n => $"'{n.Path}' ({n.Type})"))}, which TorchSharp runs natively without "
              + "its inner layers as modules, so they cannot be masked; build such a part from modules (nn.Linear, nn.LayerNorm, "
              + "PruneNotebook's TransformerBlock) to prune it.";
    }

    private static IEnumerable<string> Layers(nn.Module model) =>
        ModuleTree.Named(model).Where(m => m.Module is Linear or Convolution).Select(m => m.Path);

    /// <summary>The weights of the named layers, e.g. <c>conv1, fc1</c> → <c>conv1.weight, fc1.weight</c>.</summary>
    /// <exception cref="ArgumentException">A layer does not exist or has no weight; the message lists the prunable layers.</exception>
    public static IReadOnlyList<string> WeightsOf(nn.Module model, IEnumerable<string> layers)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = ModuleTree.Named(model).ToDictionary(m => m.Path, m => m.Module);
        var result = new List<string>();
        foreach (var layer in layers.Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            if (!modules.TryGetValue(layer, out var module) || !module.named_parameters(recurse: false).Any(p => p.name == "weight"))
            {
                if (ModuleTree.Opaque(model, layer) is { } owner)
                    throw new ArgumentException(ModuleTree.OpaqueMessage(model, "layer", layer, owner), nameof(layers));
                var prunable = string.Join(", ", Layers(model));
                throw new ArgumentException($"{model.GetType().Name} has no layer '{layer}' with a weight: expected one of {prunable}.", nameof(layers));
            }
            result.Add(ModuleTree.Qualify(layer, "weight"));
        }
        return result;
    }

    /// <summary>
    /// Unstructured pruning: removes the lowest-scoring entries of each parameter (<see cref="PruningScope.Local"/>)
    /// or of all of them together (<see cref="PruningScope.Global"/>).
    /// </summary>
    /// <param name="model">The model; its parameters are changed in place.</param>
    /// <param name="parameters">Qualified parameter names, e.g. <c>conv1.weight</c>, <c>fc1.bias</c>.</param>
    /// <param name="amount">Fraction of the still-unpruned entries, or a count.</param>
    /// <param name="criterion">A criterion that scores entries (<see cref="IEntryCriterion"/>), e.g. <see cref="MagnitudeCriterion"/>.</param>
    /// <param name="scope">Local (default) or global.</param>
    /// <param name="data">Data for a criterion that measures on it (Taylor); otherwise <c>null</c>.</param>
    /// <returns>The model's sparsity after pruning.</returns>
    /// <exception cref="ArgumentException">
    /// Unknown parameter, NaN or infinite weights (<see cref="FiniteWeights"/>), an amount larger than what is left, a criterion that cannot score entries or lacks its data;
    /// nothing was changed.
    /// </exception>
    public static SparsityReport Unstructured(nn.Module model, IEnumerable<string> parameters, PruningAmount amount, ICriterion criterion,
        PruningScope scope = PruningScope.Local, TensorDataset? data = null)
    {
        var targets = InCallOrder(model, Targets(model, parameters), criterion, data);
        var entries = CriterionScoring.Entries(criterion);
        if (scope == PruningScope.Global && criterion is IRowComparedCriterion or IReconstructingCriterion)
            throw new ArgumentException($"--criterion {criterion.Name} compares weights within each layer, not across layers: use --scope local.");
        if (criterion is IRowComparedCriterion && amount.Count is not null)
            throw new ArgumentException($"--criterion {criterion.Name} prunes the same fraction of every output row: give --amount as a fraction (e.g. 0.5), not a count.");
        using var context = new ScoringContext(model, data);
        if (criterion is IReconstructingCriterion reconstructing)
        {
            Reconstruct(model, targets, reconstructing, (value, existing) =>
            {
                var alive = existing is null ? value.numel() : CountNonzero(existing);
                return (value.numel() - alive + amount.Resolve(alive)) / (double)value.numel();
            }, null, context);
            return SparsityReport.Create(model);
        }
        Commit(model, UnstructuredMasks(targets, amount, entries, scope, context));
        return SparsityReport.Create(model);
    }

    /// <summary>
    /// N:M semi-structured pruning: in every group of <see cref="NmSparsity.M"/> consecutive entries along the input
    /// dimension of each parameter, the <see cref="NmSparsity.N"/> best-scoring stay (already pruned entries stay pruned).
    /// A reconstructing criterion (SparseGPT) chooses the groups' masks as it updates the weights.
    /// </summary>
    /// <param name="model">The model; its parameters are changed in place.</param>
    /// <param name="parameters">Qualified weight names (Linear or convolution weights).</param>
    /// <param name="pattern">The pattern, e.g. 2:4.</param>
    /// <param name="criterion">A criterion that scores entries.</param>
    /// <param name="data">Data for a criterion that measures on it; otherwise <c>null</c>.</param>
    /// <returns>The model's sparsity after pruning.</returns>
    /// <exception cref="ArgumentException">
    /// Unknown parameter, a parameter with no input dimension or one not divisible by M, a criterion that cannot score
    /// entries or lacks its data; nothing was changed.
    /// </exception>
    public static SparsityReport SemiStructured(nn.Module model, IEnumerable<string> parameters, NmSparsity pattern, ICriterion criterion, TensorDataset? data = null)
    {
        var targets = InCallOrder(model, Targets(model, parameters), criterion, data);
        var entries = CriterionScoring.Entries(criterion);
        foreach (var t in targets)
            pattern.Check(t.Value, t.Name);
        using var context = new ScoringContext(model, data);
        if (criterion is IReconstructingCriterion reconstructing)
        {
            Reconstruct(model, targets, reconstructing, (_, _) => pattern.Sparsity, pattern, context);
            return SparsityReport.Create(model);
        }
        var masks = new List<(nn.Module, string, Tensor)>();
        try
        {
            using var prefix = new PrunedPrefix(entries);
            foreach (var t in targets)
            {
                using var scope = NewDisposeScope();
                var existing = PruningMasks.Get(t.Module, t.Parameter)?.to(t.Value.device);
                var scores = entries.ScoreEntries(t.Value, t.Name, context);
                var mask = pattern.KeepMask(scores, existing).to_type(t.Value.dtype).DetachFromDisposeScope();
                masks.Add((t.Module, t.Parameter, mask));
                prefix.Zero(t.Value, mask);
            }
        }
        catch
        {
            foreach (var (_, _, mask) in masks)
                mask.Dispose();
            throw;
        }
        Commit(model, masks);
        return SparsityReport.Create(model);
    }

    /// <summary>
    /// Runs a reconstructing criterion on each target in order (each calibrated on the layers pruned before it), then
    /// commits the masks; if any layer fails, every weight is put back as it was and nothing is committed.
    /// </summary>
    private static void Reconstruct(nn.Module model, (nn.Module Module, string Parameter, Parameter Value, string Name)[] targets, IReconstructingCriterion criterion,
        Func<Tensor, Tensor?, double> sparsity, NmSparsity? pattern, ScoringContext context)
    {
        var done = new List<(nn.Module Module, string Parameter, Parameter Value, Tensor Mask, Tensor Original)>();
        try
        {
            foreach (var t in targets)
            {
                using var scope = NewDisposeScope();
                var existing = PruningMasks.Get(t.Module, t.Parameter)?.to(t.Value.device);
                var original = t.Value.detach().clone();
                var keep = criterion.PruneLayer(t.Value, t.Name, existing, sparsity(t.Value, existing), pattern, context);
                done.Add((t.Module, t.Parameter, t.Value, keep.to_type(t.Value.dtype).DetachFromDisposeScope(), original.DetachFromDisposeScope()));
            }
        }
        catch
        {
            using (no_grad())
                foreach (var d in done)
                    d.Value.copy_(d.Original);
            foreach (var d in done)
            {
                d.Mask.Dispose();
                d.Original.Dispose();
            }
            throw;
        }
        foreach (var d in done)
        {
            // A first mask keeps the values from before reconstruction for Reset; a later one keeps the first's.
            var first = PruningMasks.Get(d.Module, d.Parameter) is null;
            PruningMasks.Commit(d.Module, d.Parameter, d.Mask, first ? d.Original : null);
            if (!first)
                d.Original.Dispose();
        }
        PruningMasks.Sync(model);
    }

    /// <summary>
    /// The targets in the order the model calls their layers, for a criterion that calibrates each layer on the layers
    /// pruned before it (Wanda, SparseGPT); otherwise as given.
    /// </summary>
    private static (nn.Module Module, string Parameter, Parameter Value, string Name)[] InCallOrder(nn.Module model,
        (nn.Module Module, string Parameter, Parameter Value, string Name)[] targets, ICriterion criterion, TensorDataset? data)
    {
        if (criterion is not (ISequentiallyCalibratedCriterion or IReconstructingCriterion) || data is null || data.Count == 0 || model is not nn.Module<Tensor, Tensor> network)
            return targets;
        var order = CalibrationPass.LinearLayersInCallOrder(network, data).Select((layer, i) => (layer, i)).ToDictionary(p => p.layer, p => p.i);
        return [.. targets.OrderBy(t => order.TryGetValue(t.Name.EndsWith(".weight", StringComparison.Ordinal) ? t.Name[..^".weight".Length] : t.Name, out var i) ? i : int.MaxValue)];
    }

    /// <summary>
    /// For a criterion calibrated block by block (<see cref="ISequentiallyCalibratedCriterion"/>): zeroes each target's
    /// pruned entries in place as soon as its mask is chosen, so later layers are scored on the outputs of the pruned
    /// ones, and puts every value back on dispose (the masks are then committed as usual). Does nothing for other criteria.
    /// </summary>
    private sealed class PrunedPrefix(IEntryCriterion criterion) : IDisposable
    {
        private readonly List<(Tensor Value, Tensor Original)> _zeroed = [];

        public void Zero(Tensor value, Tensor mask)
        {
            if (criterion is not ISequentiallyCalibratedCriterion)
                return;
            using var noGrad = no_grad();
            _zeroed.Add((value, value.detach().clone().DetachFromDisposeScope()));
            value.mul_(mask.to(value.dtype, value.device));
        }

        public void Dispose()
        {
            using var noGrad = no_grad();
            foreach (var (value, original) in _zeroed)
            {
                value.copy_(original);
                original.Dispose();
            }
            _zeroed.Clear();
        }
    }

    private static long CountNonzero(Tensor mask)
    {
        using var kept = count_nonzero(mask);
        return kept.cpu().item<long>();
    }

    /// <summary>The composed masks unstructured pruning would commit; the model is not touched.</summary>
    private static List<(nn.Module Module, string Parameter, Tensor Mask)> UnstructuredMasks(
        (nn.Module Module, string Parameter, Parameter Value, string Name)[] targets, PruningAmount amount, IEntryCriterion criterion, PruningScope scope, ScoringContext context)
    {
        var masks = new List<(nn.Module, string, Tensor)>();
        using var prefix = new PrunedPrefix(criterion);
        using (var scope0 = NewDisposeScope())
        {
            var groups = scope == PruningScope.Global ? [targets] : targets.Select(t => new[] { t }).ToList();
            foreach (var group in groups)
            {
                // Scores are the caller's to overwrite (criteria return new tensors): they become the keep masks in
                // place. Existing masks restrict what may be chosen: their pruned entries score +∞ and stay pruned.
                var existing = group.Select(t => PruningMasks.Get(t.Module, t.Parameter)?.to(t.Value.device)).ToArray();
                var segments = new Tensor[group.Length];
                for (var i = 0; i < group.Length; i++)
                {
                    var score = criterion.ScoreEntries(group[i].Value, group[i].Name, context);
                    segments[i] = (score.dtype == ScalarType.Float32 ? score : score.to_type(ScalarType.Float32)).flatten().contiguous();
                    if (existing[i] is { } old)
                        segments[i].masked_fill_(old.flatten().eq(0), float.PositiveInfinity);
                }
                var available = existing.All(m => m is null)
                    ? group.Sum(t => t.Value.numel())
                    : stack(group.Select((t, i) => existing[i] is { } old ? count_nonzero(old) : tensor(t.Value.numel(), device: t.Value.device)).ToArray())
                        .sum().cpu().item<long>();
                if (group.Length == 1 && scope == PruningScope.Local && criterion is IRowComparedCriterion)
                    segments[0] = RowKeep(segments[0].reshape(group[0].Value.shape[0], -1), existing[0], amount.Fraction ?? 0);
                else
                    KSmallest.KeepInPlace(segments, amount.Resolve(available));
                for (var i = 0; i < group.Length; i++)
                {
                    var mask = segments[i].reshape(group[i].Value.shape);
                    if (existing[i] is { } old)
                        mask.mul_(old);
                    masks.Add((group[i].Module, group[i].Parameter, mask.DetachFromDisposeScope()));
                    prefix.Zero(group[i].Value, mask);
                }
            }
        }
        return masks;
    }

    /// <summary>
    /// The keep mask (rows × the rest) that prunes <c>round(fraction · alive)</c> of each row's still-alive entries with the
    /// lowest scores (pruned entries score +∞ already and stay pruned by the caller's composition).
    /// </summary>
    private static Tensor RowKeep(Tensor scores, Tensor? existing, double fraction)
    {
        var alive = existing is null
            ? full([scores.shape[0]], (float)scores.shape[1], dtype: ScalarType.Float32, device: scores.device)
            : existing.reshape(scores.shape[0], -1).ne(0).sum(1, type: ScalarType.Float32);
        var k = alive.mul(fraction).round().unsqueeze(1);
        var order = scores.sort(1, stable: true).Indices;
        var positions = arange(scores.shape[1], dtype: ScalarType.Float32, device: scores.device).unsqueeze(0);
        var keepSorted = positions.ge(k).to_type(ScalarType.Float32);
        return zeros_like(scores).scatter_(1, order, keepSorted).flatten();
    }

    /// <summary>
    /// Structured pruning: removes whole units — slices along <paramref name="dim"/> (0: rows of a Linear weight, filters
    /// of a convolution; 1: input columns / channels) — with the lowest unit scores, per parameter or globally. With
    /// <paramref name="dim"/> 0 a unit's bias entry is pruned with it.
    /// </summary>
    /// <param name="model">The model; its parameters are changed in place.</param>
    /// <param name="parameters">Qualified weight names.</param>
    /// <param name="amount">Fraction of the still-alive units, or a count of units.</param>
    /// <param name="criterion">
    /// A criterion that scores units (<see cref="IUnitCriterion"/>, e.g. <c>new MagnitudeCriterion(2)</c>), or one that scores
    /// channel groups (<see cref="IGroupCriterion"/>, e.g. <see cref="BatchNormScaleCriterion"/>): that one scores a layer's
    /// output units (dim 0) through the group the layer produces.
    /// </param>
    /// <param name="dim">The dimension whose slices are units.</param>
    /// <param name="scope">Local (default) or global.</param>
    /// <param name="data">Data for a criterion that measures on it (Taylor, APoZ); otherwise <c>null</c>.</param>
    /// <returns>The model's sparsity after pruning.</returns>
    /// <exception cref="ArgumentException">
    /// Unknown parameter, NaN or infinite weights, a dimension it does not have, an amount larger than what is left, or a criterion that cannot
    /// score these units or lacks its data; nothing was changed.
    /// </exception>
    public static SparsityReport Structured(nn.Module model, IEnumerable<string> parameters, PruningAmount amount, ICriterion criterion, int dim = 0,
        PruningScope scope = PruningScope.Local, TensorDataset? data = null)
    {
        var targets = Targets(model, parameters);
        ArgumentNullException.ThrowIfNull(criterion);
        foreach (var t in targets.Where(t => dim < 0 || dim >= t.Value.dim()))
            throw new ArgumentException($"'{t.Name}' has {t.Value.dim()} dimensions, so it has no dimension {dim} to prune along: expected 0..{t.Value.dim() - 1}.", nameof(dim));
        CriterionScoring.CheckUnits(criterion, dim);
        using var context = new ScoringContext(model, data);
        var masks = new List<(nn.Module, string, Tensor)>();
        using (var scope0 = NewDisposeScope())
        {
            var groups = scope == PruningScope.Global ? [targets] : targets.Select(t => new[] { t }).ToList();
            foreach (var group in groups)
            {
                var current = group.Select(t => PruningMasks.CurrentOrOnes(t.Module, t.Parameter, t.Value)).ToArray();
                var alive = cat(current.Select(m => UnitsAlive(m, dim)).ToArray());
                var scores = cat(group.Select(t => CriterionScoring.Units(criterion, t.Value, t.Name, dim, context).to_type(ScalarType.Float32)).ToArray());
                var k = amount.Resolve(count_nonzero(alive).cpu().item<long>(), "units to prune");
                var chosen = KSmallest.Select(scores, alive, k);
                long offset = 0;
                for (var i = 0; i < group.Length; i++)
                {
                    var (module, parameterName, value, _) = group[i];
                    var units = value.shape[dim];
                    var keepUnits = chosen.narrow(0, offset, units).logical_not();
                    var shape = Enumerable.Repeat(1L, (int)value.dim()).ToArray();
                    shape[dim] = units;
                    var keep = keepUnits.reshape(shape).to_type(value.dtype);
                    masks.Add((module, parameterName, current[i].mul(keep).DetachFromDisposeScope()));
                    if (dim == 0 && parameterName == "weight" && BiasOf(module) is { } bias && bias.shape.SequenceEqual([units]))
                    {
                        var biasMask = PruningMasks.CurrentOrOnes(module, "bias", bias).mul(keepUnits.to_type(bias.dtype));
                        masks.Add((module, "bias", biasMask.DetachFromDisposeScope()));
                    }
                    offset += units;
                }
            }
        }
        Commit(model, masks);
        return SparsityReport.Create(model);
    }

    /// <summary>
    /// Prunes <paramref name="parameters"/> (more) until they hold <paramref name="sparsity"/> masked entries — in total
    /// for <see cref="PruningScope.Global"/>, each on its own for <see cref="PruningScope.Local"/>. Already-masked entries
    /// count; parameters already as sparse are left alone. This is the step the schedules take.
    /// </summary>
    /// <param name="model">The model; its parameters are changed in place.</param>
    /// <param name="parameters">Qualified parameter names.</param>
    /// <param name="sparsity">The sparsity to reach (0..1).</param>
    /// <param name="criterion">A criterion that scores entries.</param>
    /// <param name="scope">Local (default: each parameter reaches the sparsity) or global (all of them together).</param>
    /// <param name="data">Data for a criterion that measures on it (Taylor); otherwise <c>null</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sparsity"/> is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">Unknown parameter, NaN or infinite weights, or a criterion that cannot score entries or lacks its data.</exception>
    public static SparsityReport PruneTo(nn.Module model, IReadOnlyList<string> parameters, double sparsity, ICriterion criterion,
        PruningScope scope = PruningScope.Local, TensorDataset? data = null)
    {
        using var context = new ScoringContext(model, data);
        PruneToWithoutReport(model, parameters, sparsity, criterion, scope, context);
        return SparsityReport.Create(model);
    }

    /// <summary><see cref="PruneTo"/> without the report, for the schedules' per-step hook.</summary>
    internal static void PruneToWithoutReport(nn.Module model, IReadOnlyList<string> parameters, double sparsity, ICriterion criterion, PruningScope scope, ScoringContext context)
    {
        if (!(sparsity >= 0 && sparsity <= 1))
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "The target sparsity must be in [0, 1].");
        var entries = CriterionScoring.Entries(criterion);
        var targets = Targets(model, parameters);
        var masked = targets.Select(t => MaskedCount(t.Module, t.Parameter)).ToArray();
        // Each group prunes exactly the entries it is short of: all targets together (global) or each alone (local).
        var groups = scope == PruningScope.Global
            ? [(targets, targets.Sum(t => t.Value.numel()), masked.Sum())]
            : targets.Select((t, i) => (new[] { t }, t.Value.numel(), masked[i])).ToList();
        var masks = new List<(nn.Module Module, string Parameter, Tensor Mask)>();
        foreach (var (group, total, alreadyMasked) in groups)
        {
            var more = (long)Math.Round(sparsity * total, MidpointRounding.ToEven) - alreadyMasked;
            if (more > 0)
                masks.AddRange(UnstructuredMasks(group, PruningAmount.Exactly(more), entries, PruningScope.Global, context));
        }
        Commit(model, masks);
    }

    private static long MaskedCount(nn.Module module, string parameter)
    {
        var mask = PruningMasks.Get(module, parameter);
        if (mask is null)
            return 0;
        using var kept = count_nonzero(mask);
        return mask.numel() - kept.cpu().item<long>();
    }

    /// <summary>
    /// Applies a mask the caller made (PyTorch's <c>custom_from_mask</c>): 1 keeps, 0 prunes; composed with any existing mask.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown parameter, a mask of another shape, or values other than 0 and 1.</exception>
    public static SparsityReport ApplyMask(nn.Module model, string parameter, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var target = Targets(model, [parameter])[0];
        if (!mask.shape.SequenceEqual(target.Value.shape))
            throw new ArgumentException(
                $"The mask for '{parameter}' has shape ({string.Join(", ", mask.shape)}), but the parameter has shape ({string.Join(", ", target.Value.shape)}).", nameof(mask));
        using var scope = NewDisposeScope();
        var onDevice = mask.to(target.Value.device).to_type(target.Value.dtype);
        if (onDevice.ne(0).logical_and(onDevice.ne(1)).any().cpu().item<bool>())
            throw new ArgumentException($"The mask for '{parameter}' must hold only 0 (prune) and 1 (keep).", nameof(mask));
        var composed = PruningMasks.CurrentOrOnes(target.Module, target.Parameter, target.Value).mul(onDevice);
        Commit(model, [(target.Module, target.Parameter, composed.DetachFromDisposeScope())]);
        return SparsityReport.Create(model);
    }

    private static Tensor UnitsAlive(Tensor mask, int dim)
    {
        var moved = mask.movedim([dim], [0]);
        return moved.reshape(moved.shape[0], -1).ne(0).any(1);
    }

    private static Parameter? BiasOf(nn.Module module) =>
        module.named_parameters(recurse: false).Where(p => p.name == "bias").Select(p => p.parameter).FirstOrDefault();

    private static (nn.Module Module, string Parameter, Parameter Value, string Name)[] Targets(nn.Module model, IEnumerable<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        var names = parameters.ToList();
        if (names.Count == 0)
            throw new ArgumentException("No parameters to prune: name at least one, e.g. fc1.weight.", nameof(parameters));
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Parameter '{duplicate.Key}' is named twice.", nameof(parameters));
        var targets = names.Select(n =>
        {
            var (module, local, value) = ModuleTree.Resolve(model, n);
            var path = n.LastIndexOf('.') is var cut && cut < 0 ? "" : n[..cut];
            if (!PruningMasks.CanKeep(model, path))
                throw new ArgumentException($"'{n}' cannot be masked: no module from {model.GetType().Name} down to it runs forward hooks (derive modules from nn.Module<T, TResult>).", nameof(parameters));
            return (module, local, value, n);
        }).ToArray();
        // Scores and existing masks are read from the weights as every forward pass sees them.
        PruningMasks.Apply(model);
        FiniteWeights.Check(targets.Select(t => (t.n, (Tensor)t.value)));
        return targets;
    }

    private static void Commit(nn.Module model, List<(nn.Module Module, string Parameter, Tensor Mask)> masks)
    {
        // The masks are all computed; hand each over to PruningMasks (which owns it from then on).
        for (var i = 0; i < masks.Count; i++)
        {
            try
            {
                PruningMasks.Commit(masks[i].Module, masks[i].Parameter, masks[i].Mask);
            }
            catch
            {
                foreach (var (_, _, mask) in masks.Skip(i + 1))
                    mask.Dispose();
                PruningMasks.Sync(model);
                throw;
            }
        }
        PruningMasks.Sync(model);
    }
}
