using System.Globalization;
using System.Text;
using System.Text.Json;
using PruneNotebook.Core.Persistence;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// A sweep on disk, shared by every process that runs its trials (on a cluster: a shared filesystem):
/// <c>sweep.json</c> (the spec, with the version that made it), <c>results/trial-NNNN.json</c> (one per trial, written
/// atomically, so a reader sees a whole result or none) and <c>logs/trial-NNNN.log</c> (one per trial). Backends keep
/// their own files beside them (e.g. <c>slurm/</c> with the generated batch scripts).
/// </summary>
public sealed class SweepDirectory
{
    /// <summary>The spec's file name.</summary>
    public const string SpecFileName = "sweep.json";

    private SweepDirectory(string path, SweepSpec spec)
    {
        Path = path;
        Spec = spec;
    }

    /// <summary>The directory (absolute).</summary>
    public string Path { get; }

    /// <summary>The sweep's spec.</summary>
    public SweepSpec Spec { get; }

    /// <summary>The spec file.</summary>
    public string SpecPath => System.IO.Path.Combine(Path, SpecFileName);

    /// <summary>
    /// Makes <paramref name="path"/> a sweep directory for <paramref name="spec"/> (stamped with this version), or opens it
    /// when it already holds the same sweep (or the same sweep with waves an adaptive run added), so running a sweep again
    /// resumes it.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is not valid.</exception>
    /// <exception cref="IOException">The directory cannot be created or written (the message says which and what to do).</exception>
    /// <exception cref="InvalidDataException">The directory holds another sweep, or one made by another version; nothing in it is changed.</exception>
    public static SweepDirectory Create(string path, SweepSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Version is { } version && version != SweepSpec.CurrentVersion)
            throw new InvalidDataException(VersionMessage($"The sweep spec '{spec.Name}'", version, spec.Format, "write the spec again"));
        spec.Validate();
        var full = System.IO.Path.GetFullPath(path);
        var stamped = spec.Stamped();
        if (File.Exists(System.IO.Path.Combine(full, SpecFileName)))
        {
            var existing = Open(full);
            if (Canonical(existing.Spec) != Canonical(stamped) && !Extends(existing.Spec, stamped))
                throw new InvalidDataException(
                    $"'{full}' holds another sweep ('{existing.Spec.Name}', {existing.Spec.Trials.Count} trials) than this one ('{spec.Name}', {spec.Trials.Count} trials): choose a new directory, or resume that sweep as it is.");
            return existing;
        }
        try
        {
            Directory.CreateDirectory(full);
            Directory.CreateDirectory(System.IO.Path.Combine(full, "results"));
            Directory.CreateDirectory(System.IO.Path.Combine(full, "logs"));
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"Cannot create sweep directory '{full}': {e.Message} Choose a directory you can write.", e);
        }
        var sweep = new SweepDirectory(full, stamped);
        sweep.WriteSpec();
        return sweep;
    }

    /// <summary>Opens an existing sweep directory and checks that this version can run it and that it can be written.</summary>
    /// <exception cref="DirectoryNotFoundException">No such directory, or it holds no <c>sweep.json</c>.</exception>
    /// <exception cref="InvalidDataException">The spec is malformed, or was made by another version or format.</exception>
    /// <exception cref="IOException">The directory is not writable.</exception>
    public static SweepDirectory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        var specPath = System.IO.Path.Combine(full, SpecFileName);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"Sweep directory '{full}' does not exist: create the sweep first (it writes {SpecFileName} there).");
        if (!File.Exists(specPath))
            throw new DirectoryNotFoundException($"'{full}' is not a sweep directory: it has no {SpecFileName}.");
        SweepSpec spec;
        try
        {
            using var stream = File.OpenRead(specPath);
            spec = JsonSerializer.Deserialize<SweepSpec>(stream, SweepJson.Options) ?? throw new JsonException("the file holds null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{specPath}' is not a valid sweep spec {SweepJson.Describe(e)}", e);
        }
        if (spec.Format != SweepSpec.CurrentFormat || spec.Version != SweepSpec.CurrentVersion)
            throw new InvalidDataException(VersionMessage($"Sweep '{full}'", spec.Version ?? "an unknown version", spec.Format, "start a new sweep directory"));
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{specPath}': {e.Message.Split(" (Parameter '", 2)[0]}", e);
        }
        var sweep = new SweepDirectory(full, spec);
        sweep.CheckWritable();
        return sweep;
    }

    /// <summary>
    /// A directory for <paramref name="spec"/> when the user names none: under the system's temporary folder, named after
    /// the spec and a hash of it, so running the same sweep again (a notebook cell re-run) resumes it and a changed sweep
    /// starts afresh. On a cluster, name a directory on a filesystem every node sees instead.
    /// </summary>
    public static string DefaultPath(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(spec.Stamped()))))[..12];
        var name = new string(spec.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray()).Trim('-');
        return System.IO.Path.Combine(System.IO.Path.GetTempPath(), "prunenotebook-sweeps", $"{(name.Length == 0 ? "sweep" : name[..Math.Min(40, name.Length)])}-{hash}");
    }

    /// <summary>Reads a spec file a user wrote (trials and name; the version is filled in when the sweep is created).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a valid spec (the message says where and what).</exception>
    public static SweepSpec ReadSpec(string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        if (!File.Exists(file))
            throw new FileNotFoundException($"Sweep spec '{file}' not found.", file);
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize<SweepSpec>(stream, SweepJson.Options) ?? throw new JsonException("the file holds null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{file}' is not a valid sweep spec {SweepJson.Describe(e)}", e);
        }
    }

    /// <summary>
    /// Adds trials at the end (adaptive sweeps add the next wave once the last one is done, e.g. successive halving's next
    /// rung); existing trials and their results are untouched.
    /// </summary>
    /// <returns>The directory with the longer spec.</returns>
    /// <exception cref="ArgumentException">A new trial is not valid.</exception>
    public SweepDirectory Append(IReadOnlyList<TrialSpec> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var longer = Spec with { Trials = [.. Spec.Trials, .. trials] };
        longer.Validate();
        var sweep = new SweepDirectory(Path, longer);
        sweep.WriteSpec();
        return sweep;
    }

    /// <summary>
    /// Makes trials <paramref name="start"/>, <paramref name="start"/> + 1, … of the spec be <paramref name="trials"/>:
    /// appends those the sweep does not have yet and checks that those it has are the same (an adaptive sweep run again
    /// finds the waves it added before, with their results).
    /// </summary>
    /// <returns>The directory with the (possibly) longer spec.</returns>
    /// <exception cref="ArgumentException">A new trial is not valid.</exception>
    /// <exception cref="InvalidDataException">The sweep already has other trials at those indices.</exception>
    public SweepDirectory Extend(int start, IReadOnlyList<TrialSpec> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        if (start < 0 || start > Spec.Trials.Count)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Trials can be added from index {Spec.Trials.Count} on, not {start}.");
        var overlap = Math.Min(trials.Count, Spec.Trials.Count - start);
        for (var i = 0; i < overlap; i++)
            if (Canonical(Spec.Trials[start + i]) != Canonical(trials[i]))
                throw new InvalidDataException($"'{Path}' holds other trials from index {start} on than this run adds: choose a new directory.");
        return overlap == trials.Count ? this : Append(trials.Skip(overlap).ToList());
    }

    /// <summary>The result file of trial <paramref name="index"/>.</summary>
    public string ResultPath(int index) => System.IO.Path.Combine(Path, "results", $"trial-{index.ToString("D4", CultureInfo.InvariantCulture)}.json");

    /// <summary>The log file of trial <paramref name="index"/>.</summary>
    public string LogPath(int index) => System.IO.Path.Combine(Path, "logs", $"trial-{index.ToString("D4", CultureInfo.InvariantCulture)}.log");

    /// <summary>A path from a spec: absolute as given, otherwise relative to the sweep directory.</summary>
    public string Resolve(string path) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, path));

    /// <summary>The result of trial <paramref name="index"/>, or <c>null</c> when it has none yet.</summary>
    /// <exception cref="InvalidDataException">The result file is not valid JSON of a result (edited by hand).</exception>
    public TrialResult? ReadResult(int index)
    {
        CheckIndex(index);
        var file = ResultPath(index);
        if (!File.Exists(file))
            return null;
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize<TrialResult>(stream, SweepJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{file}' is not a valid trial result {SweepJson.Describe(e)}: delete it to run the trial again.", e);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every trial's result, <c>null</c> where there is none yet.</summary>
    public IReadOnlyList<TrialResult?> ReadResults() => Enumerable.Range(0, Spec.Trials.Count).Select(ReadResult).ToArray();

    /// <summary>Writes <paramref name="result"/> atomically over any earlier result of the same trial.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void WriteResult(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        CheckIndex(result.Index);
        AtomicFile.Write(ResultPath(result.Index), stream => JsonSerializer.Serialize(stream, result, SweepJson.Options));
    }

    /// <summary>The trials among <paramref name="indices"/> (default: all) that have no successful result.</summary>
    public IReadOnlyList<int> Unfinished(IEnumerable<int>? indices = null) =>
        (indices ?? Enumerable.Range(0, Spec.Trials.Count)).Where(i => ReadResult(i) is not { Status: TrialOutcome.Done }).ToArray();

    /// <summary>What the files say about trial <paramref name="index"/>: done, failed, or queued (no result).</summary>
    public TrialState StateOf(int index) => ReadResult(index)?.Status switch
    {
        TrialOutcome.Done => TrialState.Done,
        TrialOutcome.Failed => TrialState.Failed,
        _ => TrialState.Queued,
    };

    /// <summary>The last <paramref name="lines"/> lines of trial <paramref name="index"/>'s log (at most 4 KiB), or <c>null</c> when it has none.</summary>
    public string? LogTail(int index, int lines = 20) => Tail(LogPath(index), lines);

    /// <summary>The last <paramref name="lines"/> lines of a text file (at most 4 KiB), or <c>null</c> when it does not exist or is empty.</summary>
    public static string? Tail(string file, int lines = 20)
    {
        if (!File.Exists(file))
            return null;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = Math.Min(stream.Length, 4096);
        stream.Seek(-length, SeekOrigin.End);
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        var text = Encoding.UTF8.GetString(buffer).TrimEnd();
        var all = text.Split('\n');
        var tail = string.Join('\n', all.Skip(Math.Max(0, all.Length - lines))).Trim();
        return tail.Length == 0 ? null : tail;
    }

    /// <summary>A folder inside the sweep directory for a backend's files (created if needed).</summary>
    public string Folder(string name)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Writes a backend's text file (e.g. <c>slurm/submit-1.sbatch</c>) atomically, creating its folder.</summary>
    /// <param name="relativePath">The file, relative to the sweep directory.</param>
    /// <param name="text">Its content (UTF-8).</param>
    /// <returns>The file's absolute path.</returns>
    /// <exception cref="IOException">It cannot be written.</exception>
    public string WriteText(string relativePath, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        ArgumentNullException.ThrowIfNull(text);
        var path = Resolve(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        AtomicFile.WriteText(path, text);
        return path;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Spec.Name} ({Spec.Trials.Count} trials) in {Path}";

    private void CheckIndex(int index)
    {
        if (index < 0 || index >= Spec.Trials.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sweep '{Spec.Name}' has trials 0 to {Spec.Trials.Count - 1}, not {index}.");
    }

    private void CheckWritable()
    {
        var results = System.IO.Path.Combine(Path, "results");
        var probe = System.IO.Path.Combine(results, $".probe.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(results);
            Directory.CreateDirectory(System.IO.Path.Combine(Path, "logs"));
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Sweep directory '{Path}' is not writable ({e.Message.Split('\n', 2)[0]}): fix its permissions, or copy it somewhere you can write.", e);
        }
    }

    private void WriteSpec()
    {
        try
        {
            AtomicFile.Write(SpecPath, stream => JsonSerializer.Serialize(stream, Spec, SweepJson.Options));
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot write the sweep spec into '{Path}' ({e.Message.Split('\n', 2)[0]}): choose a directory you can write.", e);
        }
    }

    private static string Canonical<T>(T value) => JsonSerializer.Serialize(value, SweepJson.Options);

    /// <summary>Whether <paramref name="existing"/> is <paramref name="spec"/> with more trials added (waves of an adaptive sweep).</summary>
    private static bool Extends(SweepSpec existing, SweepSpec spec) =>
        existing.Name == spec.Name && existing.Trials.Count > spec.Trials.Count
        && Canonical(existing with { Trials = existing.Trials.Take(spec.Trials.Count).ToList() }) == Canonical(spec);

    private static string VersionMessage(string what, string version, int format, string alternative) =>
        $"{what} was made by PruneNotebook {version} (format {format}) but this is {SweepSpec.CurrentVersion} (format {SweepSpec.CurrentFormat}): run it with PruneNotebook {version}, or {alternative}.";
}
