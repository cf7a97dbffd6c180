namespace Ticker.EndToEnd;

/// <summary>The browser tests on the seeded hub share it (and its browser); each test gets a fresh page and localStorage.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardHost>
{
    public const string Name = "dashboard";
}
