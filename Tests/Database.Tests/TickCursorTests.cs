using Ticker.Database.Ticks;

namespace Ticker.Database.Tests;

[Trait("Tier", "Fast")]
public sealed class TickCursorTests
{
    [Fact]
    public void ToString_ThenTryParse_RoundTrips()
    {
        var cursor = new TickCursor(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1230), 42);

        Assert.True(TickCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("12")]
    [InlineData(".5")]
    [InlineData("12.")]
    [InlineData("12.-5")]
    [InlineData("abc.5")]
    [InlineData("99999999999999999999.1")]
    [InlineData("253402300800000000.1")]
    public void TryParse_Garbage_False(string? text) => Assert.False(TickCursor.TryParse(text, out _));
}
