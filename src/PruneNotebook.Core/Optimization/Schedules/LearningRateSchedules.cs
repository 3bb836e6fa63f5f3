using System.Globalization;

namespace PruneNotebook.Core.Optimization.Schedules;

/// <summary>
/// Reads a learning-rate schedule from a short text, as given to <c>#!train --schedule</c>. The syntax is
/// <c>name</c> or <c>name(arg, arg, …)</c>; trailing arguments may be left out for their defaults; a list argument
/// separates its items with <c>;</c>. Numbers use a dot as decimal separator (<c>1e-4</c> is fine). Epoch-based
/// schedules count epochs; <c>warmup(W)+schedule</c> counts optimizer steps, and so does the schedule after the <c>+</c>.
/// <list type="table">
/// <item><term><c>fixed</c></term><description>the base rate throughout (also <c>constant</c>).</description></item>
/// <item><term><c>step(size[, gamma=0.1])</c></term><description>× gamma every <c>size</c> epochs.</description></item>
/// <item><term><c>multistep(m1;m2;…[, gamma=0.1])</c></term><description>× gamma at each milestone epoch.</description></item>
/// <item><term><c>exponential(gamma)</c></term><description>× gamma every epoch.</description></item>
/// <item><term><c>cosine[(tMax[, etaMin=0])]</c></term><description>cosine from the base rate to etaMin over tMax epochs (default: the run's epochs).</description></item>
/// <item><term><c>cosine-restarts(t0[, tMult=1[, etaMin=0]])</c></term><description>SGDR: cosine cycles of t0 epochs, each tMult times longer.</description></item>
/// <item><term><c>warmup(steps[, startFactor=0.1])[+schedule]</c></term><description>linear warm-up over that many optimizer steps, then the schedule (counting steps from the end of warm-up; a bare <c>cosine</c> spans the remaining steps).</description></item>
/// <item><term><c>onecycle[(maxRate[, pctStart=0.3[, divFactor=25[, finalDivFactor=1e4]]])]</c></term><description>one cycle over every optimizer step of the run; maxRate defaults to the base rate.</description></item>
/// <item><term><c>plateau[(factor=0.1[, patience=10[, cooldown=0[, minRate=0[, threshold=1e-4]]]])]</c></term><description>reduce on a plateau of the validation loss.</description></item>
/// </list>
/// Examples: <c>cosine</c>, <c>step(10, 0.1)</c>, <c>multistep(5;8, 0.1)</c>, <c>exponential(0.9)</c>,
/// <c>cosine-restarts(5, 2)</c>, <c>warmup(500)+cosine</c>, <c>onecycle(0.01)</c>, <c>plateau(0.5, 2)</c>.
/// </summary>
public static class LearningRateSchedules
{
    /// <summary>The forms <see cref="Parse"/> understands, for help texts and error messages.</summary>
    public static readonly IReadOnlyList<string> Forms =
    [
        "fixed", "step(size[,gamma])", "multistep(m1;m2;...[,gamma])", "exponential(gamma)", "cosine[(tMax[,etaMin])]",
        "cosine-restarts(t0[,tMult[,etaMin]])", "warmup(steps[,startFactor])[+schedule]",
        "onecycle[(maxRate[,pctStart[,divFactor[,finalDivFactor]]])]", "plateau[(factor[,patience[,cooldown[,minRate[,threshold]]]])]",
    ];

    /// <summary>The schedule names, lower case, for completions.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["fixed", "step", "multistep", "exponential", "cosine", "cosine-restarts", "warmup", "onecycle", "plateau"];

    /// <summary>Parses <paramref name="spec"/> (see the class summary for the syntax) for a run of the given length.</summary>
    /// <param name="spec">The schedule text, e.g. <c>warmup(500)+cosine</c>; case and spaces do not matter.</param>
    /// <param name="epochs">Epochs of the run (≥ 1): the default T of <c>cosine</c>.</param>
    /// <param name="stepsPerEpoch">Optimizer steps per epoch (≥ 1): with <paramref name="epochs"/>, the length of <c>onecycle</c> and of a cosine after warm-up.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known forms), malformed or out-of-range arguments, or a run too short for the schedule.</exception>
    public static ILearningRateSchedule Parse(string spec, int epochs, long stepsPerEpoch)
    {
        if (epochs < 1)
            throw new ArgumentException($"Epochs must be at least 1, got {epochs}.", nameof(epochs));
        if (stepsPerEpoch < 1)
            throw new ArgumentException($"Steps per epoch must be at least 1, got {stepsPerEpoch}.", nameof(stepsPerEpoch));
        if (string.IsNullOrWhiteSpace(spec))
            throw new ArgumentException($"The learning-rate schedule is empty: expected one of {string.Join(", ", Forms)}.", nameof(spec));
        var text = string.Concat(spec.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        var plus = text.IndexOf('+');
        var totalSteps = checked(epochs * stepsPerEpoch);
        if (plus < 0)
            return Term(spec, text, epochs, ScheduleUnit.Epoch, totalSteps);

        var warmup = Term(spec, text[..plus], epochs, ScheduleUnit.Epoch, totalSteps) as LinearWarmupSchedule
            ?? throw new ArgumentException($"Only a warm-up can be followed by '+schedule', got '{spec}': expected e.g. warmup(500)+cosine.", nameof(spec));
        var remaining = totalSteps - warmup.WarmupSteps;
        if (remaining < 1)
            throw new ArgumentException($"A warm-up of {warmup.WarmupSteps} steps leaves nothing of a run of {totalSteps} steps ({epochs} epochs × {stepsPerEpoch}).", nameof(spec));
        var then = Term(spec, text[(plus + 1)..], epochs, ScheduleUnit.Step, remaining);
        if (then is LinearWarmupSchedule or OneCycleSchedule)
            throw new ArgumentException($"'{spec}': a warm-up cannot be followed by {then.Describe()}, which has its own warm-up.", nameof(spec));
        return new LinearWarmupSchedule(warmup.WarmupSteps, warmup.StartFactor, then);
    }

    /// <summary>
    /// The validation metric <paramref name="schedule"/> must be fed through <see cref="ILearningRateSchedule.Observe"/>
    /// after each epoch — that of a <see cref="ReducePlateauSchedule"/>, also behind a warm-up — or <c>null</c> when the
    /// schedule depends on time only (then observing is unnecessary).
    /// </summary>
    public static MonitoredMetric? MonitorOf(ILearningRateSchedule? schedule) => schedule switch
    {
        ReducePlateauSchedule plateau => plateau.Monitor,
        LinearWarmupSchedule warmup => MonitorOf(warmup.Then),
        _ => null,
    };

    /// <summary>One schedule term; <paramref name="unit"/> is its clock and <paramref name="span"/> the run's length in that clock for default lengths.</summary>
    private static ILearningRateSchedule Term(string spec, string text, int epochs, ScheduleUnit unit, long span)
    {
        var open = text.IndexOf('(');
        var name = open < 0 ? text : text[..open];
        string[] args = [];
        if (open >= 0)
        {
            if (!text.EndsWith(')') || text.IndexOf(')') != text.Length - 1)
                throw new ArgumentException($"Malformed learning-rate schedule '{spec}': expected name(arg, ...), e.g. step(10,0.1).", nameof(spec));
            var inner = text[(open + 1)..^1];
            args = inner.Length == 0 ? [] : inner.Split(',');
        }
        var a = new Arguments(spec, name, args);
        var defaultLength = unit == ScheduleUnit.Epoch ? epochs : span;
        return name switch
        {
            "fixed" or "constant" => a.Done(0, new ConstantSchedule()),
            "step" => a.Done(2, new StepSchedule(a.Long(0, "size"), a.Double(1, "gamma", 0.1), unit)),
            "multistep" => a.Done(2, new MultiStepSchedule(a.Longs(0, "milestones"), a.Double(1, "gamma", 0.1), unit)),
            "exponential" or "exp" => a.Done(1, new ExponentialSchedule(a.Double(0, "gamma"), unit)),
            "cosine" => a.Done(2, new CosineSchedule(a.Long(0, "tMax", defaultLength), a.Double(1, "etaMin", 0), unit)),
            "cosine-restarts" or "sgdr" => a.Done(3, new CosineWarmRestartsSchedule(a.Long(0, "t0"), a.Long(1, "tMult", 1), a.Double(2, "etaMin", 0), unit)),
            "warmup" => a.Done(2, new LinearWarmupSchedule(a.Long(0, "steps"), a.Double(1, "startFactor", 0.1))),
            "onecycle" or "one-cycle" => a.Done(4, new OneCycleSchedule(
                a.Has(0) ? a.Double(0, "maxRate") : null, span, a.Double(1, "pctStart", 0.3), a.Double(2, "divFactor", 25), a.Double(3, "finalDivFactor", 1e4))),
            "plateau" => a.Done(5, new ReducePlateauSchedule(
                a.Double(0, "factor", 0.1), (int)a.Long(1, "patience", 10, allowZero: true), a.Double(4, "threshold", 1e-4),
                (int)a.Long(2, "cooldown", 0, allowZero: true), a.Double(3, "minRate", 0))),
            _ => throw new ArgumentException($"Unknown learning-rate schedule '{name}' in '{spec}': expected one of {string.Join(", ", Forms)}.", nameof(spec)),
        };
    }

    /// <summary>The arguments of one term, read by position with defaults.</summary>
    private sealed class Arguments(string spec, string name, string[] values)
    {
        public bool Has(int index) => index < values.Length && values[index].Length > 0;

        public T Done<T>(int most, T schedule)
        {
            if (values.Length > most)
                throw new ArgumentException($"'{name}' takes at most {most} argument{(most == 1 ? "" : "s")}, got {values.Length} in '{spec}'.", nameof(spec));
            return schedule;
        }

        public double Double(int index, string what, double? fallback = null)
        {
            if (!Has(index))
                return fallback ?? throw Missing(what);
            return double.TryParse(values[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw new ArgumentException($"'{name}' argument {what} must be a number, got '{values[index]}' in '{spec}'.", nameof(spec));
        }

        public long Long(int index, string what, long? fallback = null, bool allowZero = false)
        {
            if (!Has(index))
                return fallback ?? throw Missing(what);
            return ParseLong(values[index], what, allowZero);
        }

        public long[] Longs(int index, string what) =>
            Has(index) ? values[index].Split(';').Select(v => ParseLong(v, what, allowZero: false)).ToArray() : throw Missing(what);

        private long ParseLong(string text, string what, bool allowZero) =>
            long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value > 0 || (allowZero && value == 0))
                ? value
                : throw new ArgumentException(
                    $"'{name}' argument {what} must be a whole number {(allowZero ? "≥ 0" : "≥ 1")}, got '{text}' in '{spec}'.", nameof(spec));

        private ArgumentException Missing(string what) =>
            new($"'{name}' needs its {what} argument in '{spec}': expected one of {string.Join(", ", Forms.Where(f => f.StartsWith(name, StringComparison.Ordinal)))}.", nameof(spec));
    }
}
