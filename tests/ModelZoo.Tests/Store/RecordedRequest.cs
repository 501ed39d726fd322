namespace ModelZoo.Tests.Store;

/// <summary>One request the fake server received: its path (without the leading slash) and Range header.</summary>
internal sealed record RecordedRequest(string Path, string? Range);
