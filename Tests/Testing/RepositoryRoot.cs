namespace Ticker.Testing;

public static class RepositoryRoot
{
    /// <summary>The checkout's root: the first folder above the test binaries that holds Ticker.sln.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Ticker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Ticker.sln not found above {AppContext.BaseDirectory}");
    }
}
