namespace StatementTracker.Tests.Support;

/// <summary>"Nothing is written on any 4xx": the event store holds as many events after the call as before.</summary>
public static class WriteAssertions
{
    /// <remarks>Tests in one collection run one at a time, so no other test of this host writes meanwhile.</remarks>
    public static async Task<T> AssertWritesNothing<T>(this AppFixture app, Func<Task<T>> call)
    {
        var before = await app.EventCountAsync();
        var result = await call();
        Shouldly.ShouldBeTestExtensions.ShouldBe(await app.EventCountAsync(), before, "the call appended events");
        return result;
    }
}
