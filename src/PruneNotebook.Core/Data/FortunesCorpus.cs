using System.Text;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Data;

/// <summary>
/// English text from Debian's <c>fortunes</c> package for character-level language models: the plain-text files of
/// <c>/usr/share/games/fortunes</c> (entries separated by lines holding <c>%</c>; the <c>.dat</c> indexes, <c>.u8</c>
/// links, binary files and files without a <c>%</c> line are skipped), read in file-name order. Every tenth document goes to validation, the others to training (a
/// fixed split by document). Characters are encoded with a fixed vocabulary (<see cref="Vocabulary"/>): newline and
/// printable ASCII; others are dropped. Each split is its documents joined by a blank line, cut into non-overlapping
/// windows: features are <c>length</c> tokens (Int64), labels the next token at each position.
/// </summary>
public sealed class FortunesCorpus : IDisposable
{
    /// <summary>Where Debian's package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/games/fortunes";

    /// <summary>The characters the models know, by token index: newline, then ' ' … '~'.</summary>
    public static string Vocabulary { get; } = "\n" + new string(Enumerable.Range(32, 95).Select(c => (char)c).ToArray());

    private FortunesCorpus(TensorDataset train, TensorDataset validation, int trainDocuments, int validationDocuments)
    {
        Train = train;
        Validation = validation;
        TrainDocuments = trainDocuments;
        ValidationDocuments = validationDocuments;
    }

    /// <summary>Training windows: features (N, length) token indices, labels (N, length) the next tokens.</summary>
    public TensorDataset Train { get; }

    /// <summary>Validation windows, from documents training never sees.</summary>
    public TensorDataset Validation { get; }

    /// <summary>Documents in the training split.</summary>
    public int TrainDocuments { get; }

    /// <summary>Documents in the validation split.</summary>
    public int ValidationDocuments { get; }

    /// <summary>Reads the corpus and cuts both splits into windows of <paramref name="length"/> tokens.</summary>
    /// <param name="directory">The fortunes folder; default <see cref="DefaultDirectory"/>.</param>
    /// <param name="length">Tokens per window (≥ 1).</param>
    /// <param name="maxTrainWindows">Keep only the first this many training windows (quick runs), or all.</param>
    /// <param name="device">Where the tensors go.</param>
    /// <param name="maxValidationWindows">Keep only the first this many validation windows (quick runs), or all.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (the message says how to install the text).</exception>
    /// <exception cref="InvalidDataException">The folder holds no fortunes.</exception>
    public static FortunesCorpus Load(string? directory = null, int length = 64, int? maxTrainWindows = null, Device? device = null, int? maxValidationWindows = null)
    {
        if (length < 1)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A window needs at least one token.");
        var folder = string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"No fortunes folder at '{folder}': install Debian's 'fortunes' package (apt-get install fortunes) or pass its folder.");
        var documents = Documents(folder);
        if (documents.Count < 2)
            throw new InvalidDataException($"'{folder}' holds no fortunes (plain text with % separators): expected Debian's fortunes files.");
        var train = new StringBuilder();
        var validation = new StringBuilder();
        for (var i = 0; i < documents.Count; i++)
            (i % 10 == 0 ? validation : train).Append(documents[i]).Append("\n\n");
        return new FortunesCorpus(Windows(train.ToString(), length, maxTrainWindows, device), Windows(validation.ToString(), length, maxValidationWindows, device),
            documents.Count - (documents.Count + 9) / 10, (documents.Count + 9) / 10);
    }

    /// <summary>
    /// <paramref name="count"/> training windows spread evenly over the whole training split (every (N / count)-th from
    /// the first), or all of them when there are fewer: calibration data for the post-training criteria (Wanda,
    /// SparseGPT use the first examples they are given) that samples every part of the corpus, not its first files.
    /// </summary>
    /// <param name="count">Windows wanted (≥ 1).</param>
    /// <returns>A new dataset; the caller disposes it.</returns>
    public TensorDataset TrainSample(int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A sample needs at least one window.");
        var step = Math.Max(1L, Train.Count / count);
        using var index = arange(0, Train.Count, step, ScalarType.Int64, Train.Device);
        using var first = index.narrow(0, 0, Math.Min(count, index.shape[0]));
        return Train.Subset(first);
    }

    /// <summary>The token indices of <paramref name="text"/> (characters outside <see cref="Vocabulary"/> dropped).</summary>
    public static long[] Encode(string text) =>
        (text ?? "").Select(c => (long)Vocabulary.IndexOf(c, StringComparison.Ordinal)).Where(i => i >= 0).ToArray();

    /// <summary>The text of token indices.</summary>
    public static string Decode(IEnumerable<long> tokens) => new(tokens.Select(t => Vocabulary[(int)t]).ToArray());

    /// <summary>
    /// Whether <paramref name="file"/> holds a NUL byte in its first 8 KiB, as binary files do and text never does (git's
    /// test): a compressed Fashion-MNIST file can hold lines that read as '%' by chance, and would otherwise be read as text.
    /// </summary>
    private static bool IsBinary(string file)
    {
        Span<byte> head = stackalloc byte[8192];
        using var stream = File.OpenRead(file);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..read].Contains((byte)0);
    }

    private static List<string> Documents(string folder)
    {
        var documents = new List<string>();
        var files = Directory.GetFiles(folder)
            .Where(f => Path.GetExtension(f) is not ".dat" and not ".u8" && new FileInfo(f).LinkTarget is null && !IsBinary(f))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // A file without a single '%' line is not a fortunes file (e.g. a Fashion-MNIST folder named by mistake): skipped.
            var found = new List<string>();
            var separated = false;
            var current = new StringBuilder();
            foreach (var line in File.ReadLines(file, Encoding.Latin1))
            {
                if (line.TrimEnd() == "%")
                {
                    separated = true;
                    Flush();
                    continue;
                }
                current.Append(line).Append('\n');
            }
            Flush();
            if (separated)
                documents.AddRange(found);

            void Flush()
            {
                var text = current.ToString().Trim('\n');
                if (text.Length > 0)
                    found.Add(text);
                current.Clear();
            }
        }
        return documents;
    }

    private static TensorDataset Windows(string text, int length, int? max, Device? device)
    {
        var tokens = Encode(text);
        var count = (tokens.Length - 1) / length;
        if (max is { } m)
            count = Math.Min(count, Math.Max(m, 0));
        using var all = tensor(tokens, ScalarType.Int64);
        using var inputs = all.narrow(0, 0, count * length).reshape(count, length);
        using var targets = all.narrow(0, 1, count * length).reshape(count, length);
        return new TensorDataset(inputs.to(device ?? CPU, copy: true), targets.to(device ?? CPU, copy: true));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
