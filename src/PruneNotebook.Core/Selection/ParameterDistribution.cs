using System.Globalization;

namespace PruneNotebook.Core.Selection;

/// <summary>
/// A distribution a random search draws one hyperparameter from: <see cref="Uniform"/>, <see cref="LogUniform"/>,
/// <see cref="Choice"/> or <see cref="IntRange"/>. <see cref="Parse"/> reads <c>loguniform(1e-4,1e-1)</c> and friends.
/// </summary>
public abstract record ParameterDistribution
{
    /// <summary>One value drawn with <paramref name="random"/>.</summary>
    public abstract object Sample(Random random);

    /// <summary>A uniform double in [low, high).</summary>
    /// <exception cref="ArgumentException">low ≥ high, or a bound is not finite.</exception>
    public static ParameterDistribution Uniform(double low, double high) =>
        double.IsFinite(low) && double.IsFinite(high) && low < high ? new UniformDistribution(low, high)
            : throw new ArgumentException($"uniform(low, high) needs finite low < high, got ({low}, {high}).");

    /// <summary>A double whose logarithm is uniform: low·(high/low)^u.</summary>
    /// <exception cref="ArgumentException">Not 0 &lt; low &lt; high.</exception>
    public static ParameterDistribution LogUniform(double low, double high) =>
        low > 0 && double.IsFinite(high) && low < high ? new LogUniformDistribution(low, high)
            : throw new ArgumentException($"loguniform(low, high) needs 0 < low < high, got ({low}, {high}).");

    /// <summary>One of <paramref name="values"/>, each equally likely.</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static ParameterDistribution Choice(params object[] values) =>
        values is { Length: > 0 } ? new ChoiceDistribution(values) : throw new ArgumentException("choice(...) needs at least one value.");

    /// <summary>A whole number in [low, high], both included.</summary>
    /// <exception cref="ArgumentException">low &gt; high.</exception>
    public static ParameterDistribution IntRange(int low, int high) =>
        low <= high ? new IntRangeDistribution(low, high) : throw new ArgumentException($"int(low, high) needs low ≤ high, got ({low}, {high}).");

    /// <summary>
    /// Parses <c>uniform(a,b)</c>, <c>loguniform(a,b)</c>, <c>int(a,b)</c>, <c>choice(x,y,…)</c>, or a comma-separated list
    /// (a choice); numbers are read with the invariant culture, other choice values stay text.
    /// </summary>
    /// <exception cref="FormatException">The text is none of these (the message shows the expected forms).</exception>
    public static ParameterDistribution Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var open = t.IndexOf('(');
        if (open < 0 || !t.EndsWith(')'))
            return Choice(ParameterGrid.ParseValues(t));
        var kind = t[..open].Trim().ToLowerInvariant();
        var arguments = ParameterGrid.ParseValues(t[(open + 1)..^1]);
        double Number(int i) => arguments.Length > i && arguments[i] is double d ? d
            : throw new FormatException($"'{text}': argument {i + 1} must be a number.");
        try
        {
            return kind switch
            {
                "uniform" when arguments.Length == 2 => Uniform(Number(0), Number(1)),
                "loguniform" or "log-uniform" when arguments.Length == 2 => LogUniform(Number(0), Number(1)),
                "int" or "randint" when arguments.Length == 2 => IntRange(checked((int)Number(0)), checked((int)Number(1))),
                "choice" => Choice(arguments),
                _ => throw new FormatException(
                    $"Unknown distribution '{text}': expected uniform(a,b), loguniform(a,b), int(a,b), choice(x,y,...) or a list x,y,..."),
            };
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"'{text}': {e.Message}", e);
        }
    }

    private sealed record UniformDistribution(double Low, double High) : ParameterDistribution
    {
        public override object Sample(Random random) => Low + (High - Low) * random.NextDouble();

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"uniform({Low:G4}, {High:G4})");
    }

    private sealed record LogUniformDistribution(double Low, double High) : ParameterDistribution
    {
        public override object Sample(Random random) => Math.Exp(Math.Log(Low) + (Math.Log(High) - Math.Log(Low)) * random.NextDouble());

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"loguniform({Low:G4}, {High:G4})");
    }

    private sealed record ChoiceDistribution(object[] Values) : ParameterDistribution
    {
        public override object Sample(Random random) => Values[random.Next(Values.Length)];

        public override string ToString() => $"choice({string.Join(", ", Values.Select(ParameterGrid.Format))})";
    }

    private sealed record IntRangeDistribution(int Low, int High) : ParameterDistribution
    {
        public override object Sample(Random random) => random.Next(Low, High + 1);

        public override string ToString() => $"int({Low}, {High})";
    }
}
