namespace PruneNotebook.Interactive;

/// <summary>Bad input to a magic command; its message is the one line shown to the user.</summary>
internal sealed class UsageException(string message) : Exception(message);
