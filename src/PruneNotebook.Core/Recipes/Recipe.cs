using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PruneNotebook.Core.Recipes;

/// <summary>
/// An experiment as a file: a name and steps (<c>model</c>, <c>data</c>, <c>train</c>, <c>prune</c>, <c>compress</c>,
/// <c>trim</c>, <c>drop-layers</c>, <c>fold-bn</c>, <c>evaluate</c>, <c>summary</c>, <c>save</c>, <c>report</c>) with the
/// magics' option names and defaults. YAML or JSON (read by the same parser, so every error has a line). <c>#!recipe</c>
/// and <c>prunenotebook run</c> run the same steps with the same results for the same seeds.
/// </summary>
/// <example>
/// <code>
/// name: LeNet-5, 90 % global magnitude pruning
/// steps:
///   - model: lenet5
///   - data: fashion-mnist
///   - train: {epochs: 4}
///   - prune: {amount: 0.9, scope: global}
///   - evaluate
///   - train: {epochs: 3, seed: 1}
///   - evaluate
///   - save: lenet5-90.bin
/// </code>
/// </example>
public sealed partial class Recipe
{
    private static readonly Dictionary<string, (string? Shorthand, Func<RecipeSection, RecipeStep> Create)> Factories = new(StringComparer.Ordinal)
    {
        ["model"] = ("name", s => new ModelRecipeStep(s)),
        ["data"] = ("name", s => new DataRecipeStep(s)),
        ["train"] = (null, s => new TrainRecipeStep(s)),
        ["prune"] = ("amount", s => new PruneRecipeStep(s)),
        ["compress"] = ("amount", s => new CompressRecipeStep(s)),
        ["trim"] = (null, s => new TrimRecipeStep(s)),
        ["drop-layers"] = ("count", s => new DropLayersRecipeStep(s)),
        ["fold-bn"] = (null, s => new FoldBatchNormRecipeStep(s)),
        ["evaluate"] = (null, s => new EvaluateRecipeStep(s)),
        ["summary"] = (null, s => new SummaryRecipeStep(s)),
        ["save"] = ("file", s => new SaveRecipeStep(s)),
        ["report"] = ("file", s => new ReportRecipeStep(s)),
    };

    private Recipe(string file, string directory, string name, IReadOnlyList<RecipeStep> steps)
    {
        File = file;
        Directory = directory;
        Name = name;
        Steps = steps;
    }

    /// <summary>The step kinds a recipe can use.</summary>
    public static IReadOnlyList<string> Kinds => [.. Factories.Keys];

    /// <summary>The recipe file as the user named it (errors name it so).</summary>
    public string File { get; }

    /// <summary>The folder relative file names in the recipe are resolved against: the recipe's own.</summary>
    public string Directory { get; }

    /// <summary>The recipe's <c>name</c>, else its file name without extension.</summary>
    public string Name { get; }

    /// <summary>The steps in order.</summary>
    public IReadOnlyList<RecipeStep> Steps { get; }

    /// <summary>Reads and parses the recipe file at <paramref name="path"/> (YAML or JSON).</summary>
    /// <exception cref="RecipeException">The file is missing or cannot be read, or its text is not a recipe (one line: file, line, key).</exception>
    public static Recipe Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException(path, 0, "", e is FileNotFoundException or DirectoryNotFoundException
                ? $"no such recipe file (looked for {Path.GetFullPath(path)})."
                : $"cannot read the recipe: {e.Message}");
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses recipe <paramref name="text"/> (YAML or JSON); checks every key and value, not yet the order of the steps (see <see cref="Validate"/>).</summary>
    /// <param name="text">The recipe.</param>
    /// <param name="file">The name errors give it.</param>
    /// <param name="directory">The folder file names are relative to; default the current folder.</param>
    /// <exception cref="RecipeException">A syntax error, an unknown key or step, a value of the wrong type.</exception>
    public static Recipe Parse(string text, string file, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new RecipeException(file, (int)e.Start.Line, "", $"not valid YAML or JSON: {LocationPrefix().Replace(e.Message, "")}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections; the last event read is where it stopped.
            throw new RecipeException(file, Math.Max(1, parser.LastLine), "",
                "not valid YAML or JSON: a bracket, brace or quote opened here is not closed.");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var line = stream.Documents.Count > 0 ? RecipeSection.LineOf(stream.Documents[0].RootNode) : 1;
            throw new RecipeException(file, stream.Documents.Count > 1 ? RecipeSection.LineOf(stream.Documents[1].RootNode) : line, "",
                "expected one recipe: a mapping with 'name' and 'steps' (a list of steps such as '- model: lenet5').");
        }
        var top = new RecipeSection(file, "", RecipeSection.LineOf(root), root);
        var name = top.Text("name", "a name") ?? Path.GetFileNameWithoutExtension(file);
        top.Has("steps");
        top.RejectUnknown();
        var stepsNode = root.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "steps" });
        if (stepsNode.Value is not YamlSequenceNode list || list.Children.Count == 0)
            throw new RecipeException(file, stepsNode.Key is null ? RecipeSection.LineOf(root) : RecipeSection.LineOf(stepsNode.Key), "steps",
                $"expected a list of steps, e.g. '- model: lenet5', got {(stepsNode.Value is null ? "nothing" : RecipeSection.Describe(stepsNode.Value))}.");
        var steps = list.Children.Select(node => ParseStep(file, node)).ToList();
        return new Recipe(file, directory ?? System.IO.Directory.GetCurrentDirectory(), name, steps);
    }

    /// <summary>
    /// Checks the steps in order against what the steps before each provide — a model, data, files that exist or that an
    /// earlier step writes, weights that fit the model, folders to write into — without running anything.
    /// </summary>
    /// <param name="options">What the host lends (a report renderer); steps the host cannot run are refused.</param>
    /// <exception cref="RecipeException">The first problem, with the file, line and key.</exception>
    public void Validate(RecipeRunOptions? options = null)
    {
        var check = new RecipeCheck(this, options ?? new RecipeRunOptions());
        foreach (var step in Steps)
            step.Check(check);
    }

    /// <summary>
    /// Validates the whole recipe, then runs its steps in order; <see cref="RecipeRunOptions.StepFinished"/> sees each
    /// result as it comes. Nothing runs (and no file is written) when validation fails.
    /// </summary>
    /// <returns>Every step's result.</returns>
    /// <exception cref="RecipeException">Validation failed, or a step failed while running (the step's file and line).</exception>
    /// <exception cref="OperationCanceledException">Cancelled through <see cref="RecipeRunOptions.CancellationToken"/>.</exception>
    public RecipeRun Run(RecipeRunOptions? options = null)
    {
        options ??= new RecipeRunOptions();
        Validate(options);
        var watch = Stopwatch.StartNew();
        using var session = new RecipeSession(this, options);
        for (var i = 0; i < Steps.Count; i++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var step = Steps[i];
            options.StepStarting?.Invoke(step);
            RecipeStepResult result;
            try
            {
                result = step.Run(session) with { Index = i + 1 };
            }
            catch (Exception e) when (e is not RecipeException and not OperationCanceledException && Runtime.Failures.IsExpected(e))
            {
                // Bad input found while running (an amount larger than what is left, a file that cannot be written): one
                // line at the step. Anything else is a bug and keeps its type and stack for the host to report.
                throw step.Error(Runtime.Failures.OneLine(e));
            }
            session.Results.Add(result);
            options.StepFinished?.Invoke(result);
        }
        if (options.KeepModel is { } keep && session.TakeModel() is { } model)
            keep(model);
        return new RecipeRun(Name, File, [.. session.Results], watch.Elapsed.TotalSeconds);
    }

    /// <summary><paramref name="path"/>, absolute or relative to the recipe's folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, Directory);

    private static RecipeStep ParseStep(string file, YamlNode node)
    {
        var line = RecipeSection.LineOf(node);
        string kind;
        YamlNode? value = null;
        switch (node)
        {
            case YamlScalarNode { Value: { Length: > 0 } k }:
                kind = k;
                break;
            case YamlMappingNode { Children.Count: 1 } single when single.Children[0].Key is YamlScalarNode { Value: { } k }:
                kind = k;
                value = single.Children[0].Value;
                break;
            case YamlMappingNode map:
                var keys = string.Join(", ", map.Children.Select(c => (c.Key as YamlScalarNode)?.Value));
                throw new RecipeException(file, line, "steps", $"a step is one kind with its options indented below it, got {map.Children.Count} keys ({keys}): write e.g. '- prune: {{amount: 0.9}}'.");
            default:
                throw new RecipeException(file, line, "steps", $"expected a step such as '- model: lenet5', got {RecipeSection.Describe(node)}.");
        }
        if (!Factories.TryGetValue(kind, out var factory))
            throw new RecipeException(file, line, kind, $"unknown step: expected one of {string.Join(", ", Factories.Keys)}.");
        var section = value switch
        {
            null => new RecipeSection(file, kind, line, null),
            YamlMappingNode options => new RecipeSection(file, kind, line, options),
            YamlScalarNode { Value: null or "" } scalar when scalar.Style == ScalarStyle.Plain => new RecipeSection(file, kind, line, null),
            YamlScalarNode scalar when factory.Shorthand is { } key => new RecipeSection(file, kind, line, null, (key, scalar)),
            _ => throw new RecipeException(file, RecipeSection.LineOf(value), kind,
                $"expected the step's options as keys (e.g. '{kind}: {{...}}'), got {RecipeSection.Describe(value)}."),
        };
        var step = factory.Create(section);
        section.RejectUnknown();
        return step;
    }

    /// <summary>Remembers the line of the last event the parser produced.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public int LastLine { get; private set; }

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
                LastLine = (int)current.Start.Line;
            return moved;
        }
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();
}
