namespace PruneNotebook.Core.Scoring;

/// <summary>
/// The one registry of pruning criteria: name → description, the arguments it takes, and a factory. The magics
/// (<c>#!prune</c>, <c>#!compress</c>, <c>#!sensitivity</c>), the CLI and recipes all resolve <c>--criterion</c> here,
/// and list these names as completions. Adding a criterion is one new file (a class implementing the capability
/// interfaces it supports) and one <see cref="Register{T}"/> line below.
/// </summary>
public static class Criteria
{
    private static readonly List<CriterionInfo> Registered = [];
    private static readonly Lock Gate = new();

    static Criteria()
    {
        Register("l1", "magnitude: |w| for weights, the L1 norm of a unit's weights (bias included for groups)", _ => new MagnitudeCriterion(1));
        Register("l2", "magnitude: |w| for weights, the L2 norm of a unit's weights", _ => new MagnitudeCriterion(2));
        Register("ln", "magnitude: |w| for weights, the Ln norm of a unit's weights", a => new MagnitudeCriterion(a.Number("n", 2)),
            parameters: [new("n", "norm order, at least 1 (default 2; inf for the largest |w|)")]);
        Register("random", "random scores from a seeded generator (a baseline)", a => new RandomCriterion(a.Integer("seed", 0)),
            parameters: [new("seed", "seed of the generator (default 0)")]);
        Register("taylor", "first-order Taylor: (w·∂L/∂w)², from the gradients of a few batches of data", _ => new TaylorCriterion(), needsData: true);
        Register("apoz", "1 − the average percentage of zeros after a unit's ReLU, over a few batches of data", _ => new ApozCriterion(), needsData: true);
        Register("bn", "BatchNorm scale |γ| of the units (network slimming)", _ => new BatchNormScaleCriterion());
        Register("lamp", "layer-adaptive magnitude: W[u]² over the sum of W[v]² of every larger entry of its layer, comparable across layers (use --scope global)", _ => new LampCriterion());
        Register("wanda", "post-training: |W_ij|·‖X_j‖₂ over calibration inputs, compared within each output row", a => new WandaCriterion(Samples(a)),
            parameters: [Samples()], needsData: true);
        Register("sparsegpt", "post-training: layer-wise OBS pruning with the Hessian of calibration inputs; updates the kept weights", a => new SparseGptCriterion(
                (int)a.Integer("blocksize", 128), a.Number("damping", 0.01), Samples(a)),
            parameters: [new("blocksize", "columns per block (default 128)"), new("damping", "dampening, a fraction of the mean Hessian diagonal (default 0.01)"), Samples()],
            needsData: true);
    }

    private static CriterionParameter Samples() => new("samples", $"calibration examples (default {Calibration.CalibrationPass.DefaultSamples})");

    private static int Samples(CriterionArguments a) => (int)Math.Clamp(a.Integer("samples", Calibration.CalibrationPass.DefaultSamples), int.MinValue, int.MaxValue);

    /// <summary>The name used when none is given: <c>l1</c>.</summary>
    public const string Default = "l1";

    /// <summary>Every registered criterion, in registration order.</summary>
    public static IReadOnlyList<CriterionInfo> All
    {
        get
        {
            lock (Gate)
                return [.. Registered];
        }
    }

    /// <summary>Every registered name, in registration order (the magics' completions).</summary>
    public static IReadOnlyList<string> Names => All.Select(c => c.Name).ToList();

    /// <summary>The registered names that can score what <paramref name="use"/> asks.</summary>
    public static IReadOnlyList<string> Scoring(CriterionUse use) => All.Where(c => c.Supports(use)).Select(c => c.Name).ToList();

    /// <summary>
    /// Registers a criterion under <paramref name="name"/> (lower case, no spaces); a name registered again is replaced.
    /// </summary>
    /// <typeparam name="T">The criterion's type: its capability interfaces say what it scores.</typeparam>
    /// <param name="name">The name typed after <c>--criterion</c>.</param>
    /// <param name="description">One line: what it scores and by what.</param>
    /// <param name="factory">Makes it from its arguments (each read with its default, e.g. <c>a.Number("n", 2)</c>).</param>
    /// <param name="parameters">The arguments it takes; any other is refused.</param>
    /// <param name="needsData">Whether it measures on data, so that hosts require <c>--data</c>.</param>
    /// <exception cref="ArgumentException">The name is empty or has spaces or capitals.</exception>
    public static void Register<T>(string name, string description, Func<CriterionArguments, T> factory, IReadOnlyList<CriterionParameter>? parameters = null, bool needsData = false)
        where T : ICriterion
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (name.Any(c => char.IsWhiteSpace(c) || char.IsUpper(c)))
            throw new ArgumentException($"A criterion name is typed after --criterion: lower case without spaces, got '{name}'.", nameof(name));
        var info = new CriterionInfo(name, description, parameters ?? [], needsData, typeof(T), a => factory(a));
        lock (Gate)
        {
            Registered.RemoveAll(c => c.Name == name);
            Registered.Add(info);
        }
    }

    /// <summary>The criterion registered as <paramref name="name"/> (<see cref="Default"/> when empty).</summary>
    /// <exception cref="ArgumentException">No such name; the message lists the registered ones.</exception>
    public static CriterionInfo Get(string? name)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? Default : name.Trim().ToLowerInvariant();
        return All.FirstOrDefault(c => c.Name == wanted)
            ?? throw new ArgumentException($"Unknown --criterion '{name}': expected {List(Names)}.", nameof(name));
    }

    /// <summary>
    /// Makes the criterion <paramref name="name"/> from <paramref name="arguments"/>, after checking everything a host
    /// typed: the name, that it takes each argument given, that it can score what <paramref name="use"/> asks, and (when
    /// <paramref name="dataGiven"/> is known) that data was given to a criterion that measures on it.
    /// </summary>
    /// <param name="name">A registered name; <see cref="Default"/> when empty.</param>
    /// <param name="arguments">Its arguments by name (e.g. <c>n</c>, <c>seed</c>).</param>
    /// <param name="use">What it will score, or <c>null</c> not to check.</param>
    /// <param name="dataGiven">Whether the host was given data, or <c>null</c> not to check.</param>
    /// <returns>A new criterion; dispose it when it is <see cref="IDisposable"/>.</returns>
    /// <exception cref="ArgumentException">Any of those checks fails; the message is one line saying what to do.</exception>
    public static ICriterion Create(string? name, IReadOnlyDictionary<string, string>? arguments = null, CriterionUse? use = null, bool? dataGiven = null)
    {
        var info = Get(name);
        var given = new CriterionArguments(arguments);
        foreach (var argument in given.Names)
            if (!info.Parameters.Any(p => p.Name.Equals(argument, StringComparison.OrdinalIgnoreCase)))
            {
                var takers = All.Where(c => c.Parameters.Any(p => p.Name.Equals(argument, StringComparison.OrdinalIgnoreCase))).Select(c => c.Name).ToList();
                throw new ArgumentException(takers.Count == 0
                    ? $"No criterion takes --{argument}: drop it."
                    : $"--{argument} applies to --criterion {List(takers)}, not {info.Name}: drop --{argument}, or choose {List(takers)}.");
            }
        if (dataGiven == false && info.NeedsData)
            throw new ArgumentException($"--criterion {info.Name} measures real data: pass --data <dataset>.");
        if (use is { } wanted && !info.Supports(wanted))
            throw new ArgumentException(wanted switch
            {
                CriterionUse.Entries => $"--criterion {info.Name} scores whole units, not single weights: prune structured (--structured) with it, or choose {List(Scoring(CriterionUse.Entries))}.",
                _ => $"--criterion {info.Name} scores single weights only, not whole units: choose {List(Scoring(wanted))}.",
            });
        return info.Factory(given);
    }

    /// <summary>
    /// Why the criterion <paramref name="name"/> cannot prune a model that reads text (one line for every host), or
    /// <c>null</c> when it can: a criterion that measures on labelled images (gradients of a classifier's loss,
    /// activations of units) has no text counterpart; wanda and sparsegpt measure only the inputs of the layers.
    /// </summary>
    /// <exception cref="ArgumentException">No such name.</exception>
    public static string? RefusalOnText(string? name)
    {
        var info = Get(name);
        return !info.NeedsData || info.MeasuresLayerInputs ? null
            : $"--criterion {info.Name} measures on labelled images; on text use {List(All.Where(c => c.MeasuresLayerInputs).Select(c => c.Name).ToList())} (calibrated on training windows), "
              + $"or one that needs no data ({string.Join(", ", All.Where(c => !c.NeedsData && c.Supports(CriterionUse.Entries)).Select(c => c.Name))}).";
    }

    private static string List(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
}
