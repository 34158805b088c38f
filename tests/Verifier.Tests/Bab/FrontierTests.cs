using Verify.Bab;

namespace Verify.Tests.Bab;

public class FrontierTests
{
    [Test]
    public void SmallestPriorityComesOffFirst()
    {
        var f = new Frontier<string, double>();
        f.Add("b", 2); f.Add("c", 3); f.Add("a", 1);
        Assert.That(Drain(f), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void AReversedComparerPutsTheLargestFirst()
    {
        var f = new Frontier<string, int>(Comparer<int>.Create((x, y) => y.CompareTo(x)));
        f.Add("b", 2); f.Add("c", 3); f.Add("a", 1);
        Assert.That(Drain(f), Is.EqualTo(new[] { "c", "b", "a" }));
    }

    [Test]
    public void TiesComeOffInTheSameOrderForTheSameSequenceOfOperations()
    {
        static List<int> Run()
        {
            var f = new Frontier<int, double>();
            for (int i = 0; i < 50; i++) f.Add(i, i % 3);
            var order = new List<int>();
            for (int i = 0; i < 20; i++) { f.TryTake(out var n, out _); order.Add(n); f.Add(100 + i, 1); }
            while (f.TryTake(out var n, out _)) order.Add(n);
            return order;
        }
        Assert.That(Run(), Is.EqualTo(Run()));
    }

    [Test]
    public void KeepBestKeepsTheBestAndHandsOverTheRestBestFirst()
    {
        var f = new Frontier<string, double>();
        f.Add("d", 4); f.Add("a", 1); f.Add("c", 3); f.Add("b", 2); f.Add("e", 5);
        var dropped = new List<string>();
        int n = f.KeepBest(2, dropped.Add);
        Assert.Multiple(() =>
        {
            Assert.That(n, Is.EqualTo(3));
            Assert.That(dropped, Is.EqualTo(new[] { "c", "d", "e" }));
            Assert.That(Drain(f), Is.EqualTo(new[] { "a", "b" }));
        });
    }

    [Test]
    public void PeekDoesNotRemove()
    {
        var f = new Frontier<string, double>();
        Assert.That(f.TryPeek(out _, out _), Is.False);
        f.Add("x", 7);
        Assert.That(f.TryPeek(out var n, out var p), Is.True);
        Assert.That((n, p, f.Count), Is.EqualTo(("x", 7.0, 1)));
    }

    private static List<T> Drain<T, TP>(Frontier<T, TP> f)
    {
        var r = new List<T>();
        while (f.TryTake(out var n, out _)) r.Add(n);
        return r;
    }
}
