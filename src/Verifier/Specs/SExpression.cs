using System.Text;
using Verify.Errors;

namespace Verify.Specs;

/// <summary>An S-expression node of an SMT-LIB/VNNLIB file: an atom or a parenthesised list, with its line.</summary>
public abstract record SExpression(int Line)
{
    public sealed record Atom(string Text, int Line) : SExpression(Line)
    {
        public override string ToString() => Text;
    }

    public sealed record List(IReadOnlyList<SExpression> Items, int Line) : SExpression(Line)
    {
        public string? Head => Items.Count > 0 && Items[0] is Atom a ? a.Text : null;
        public override string ToString() => "(" + string.Join(" ", Items) + ")";
    }

    /// <summary>Parses every top-level expression; `;` starts a comment that runs to the end of the line.</summary>
    public static IReadOnlyList<SExpression> ParseAll(string path, string text)
    {
        var result = new List<SExpression>();
        var stack = new Stack<(List<SExpression> Items, int Line)>();
        int line = 1;
        var atom = new StringBuilder();
        int atomLine = 1;

        void FlushAtom()
        {
            if (atom.Length == 0) return;
            var a = new Atom(atom.ToString(), atomLine);
            atom.Clear();
            if (stack.Count == 0) throw new BadInputException(path, $"'{a.Text}' outside parentheses", atomLine.ToString());
            stack.Peek().Items.Add(a);
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == ';')
            {
                FlushAtom();
                while (i < text.Length && text[i] != '\n') i++;
                line++;
                continue;
            }
            if (c == '\n') { FlushAtom(); line++; continue; }
            if (char.IsWhiteSpace(c)) { FlushAtom(); continue; }
            if (c == '(') { FlushAtom(); stack.Push(([], line)); continue; }
            if (c == ')')
            {
                FlushAtom();
                if (stack.Count == 0) throw new BadInputException(path, "unbalanced ')'", line.ToString());
                var (items, start) = stack.Pop();
                var list = new List(items, start);
                if (stack.Count == 0) result.Add(list); else stack.Peek().Items.Add(list);
                continue;
            }
            if (atom.Length == 0) atomLine = line;
            atom.Append(c);
        }
        FlushAtom();
        if (stack.Count > 0)
            throw new BadInputException(path, "file is truncated: '(' opened here is never closed", stack.Last().Line.ToString());
        return result;
    }
}
