using System.Globalization;
using System.Text;
using Verify.Errors;
using Verify.Intervals;

namespace Verify.Specs;

/// <summary>
/// Reads the VNN-COMP subset of VNNLIB: `(declare-const X_i Real)`, `(declare-const Y_j Real)`, and `(assert …)`
/// with &lt;=, &gt;=, &lt;, &gt;, = over linear terms (+, -, * by constants), combined with `and` / `or`. Input
/// constraints must bound single variables and form a finite, non-empty box; output constraints are kept as an
/// <see cref="OutputProperty"/>. Strict comparisons on inputs are read as their closure (a superset box).
/// </summary>
public static class VnnLibReader
{
    private const int MaxConjunctions = 100_000;

    public static VnnLibSpec ReadFile(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot read file: " + e.Message);
        }
        return Parse(path, Io.TextInput.Decode(path, bytes));
    }

    public static VnnLibSpec Parse(string path, string text)
    {
        var exprs = SExpression.ParseAll(path, text);
        var inputs = new SortedSet<int>();
        var outputs = new SortedSet<int>();
        var assertions = new List<SExpression.List>();
        foreach (var e in exprs)
        {
            var list = (SExpression.List)e;
            switch (list.Head)
            {
                case "declare-const":
                    Declare(path, list, inputs, outputs);
                    break;
                case "assert":
                    if (list.Items.Count != 2) throw Bad(path, list, "assert takes exactly one formula");
                    assertions.Add(list);
                    break;
                case "set-logic": case "set-info": case "set-option": case "check-sat": case "get-model": case "exit":
                    break;
                default:
                    throw Bad(path, list, $"unsupported command '{list.Head ?? list.ToString()}'");
            }
        }
        if (inputs.Count == 0) throw new BadInputException(path, "declares no input variables X_0, X_1, …");
        int n = CheckContiguous(path, inputs, "X");
        int m = outputs.Count == 0 ? 0 : CheckContiguous(path, outputs, "Y");

        var lower = new Rational?[n];
        var upper = new Rational?[n];
        var clauses = new List<IReadOnlyList<IReadOnlyList<LinearConstraint>>>();
        foreach (var a in assertions)
        {
            var dnf = ToDnf(path, a.Items[1], inputs, outputs);
            bool usesX = dnf.Any(c => c.Any(r => r.Expr.Uses('X')));
            bool usesY = dnf.Any(c => c.Any(r => r.Expr.Uses('Y')));
            if (usesX && usesY) throw Bad(path, a, "an assertion mixing inputs X and outputs Y is not supported");
            if (!usesX && !usesY) throw Bad(path, a, "an assertion without variables is not supported");
            if (usesX)
            {
                if (dnf.Count != 1) throw Bad(path, a, "disjunctions over inputs are not supported: the inputs must form one box");
                foreach (var r in dnf[0]) AddBound(path, a, r, lower, upper);
            }
            else
            {
                clauses.Add(dnf.Select(conj => (IReadOnlyList<LinearConstraint>)conj.Select(r => r.ToOutputConstraint()).ToList()).ToList());
            }
        }

        var lo = new Rational[n];
        var hi = new Rational[n];
        var box = new Interval[n];
        for (int i = 0; i < n; i++)
        {
            if (lower[i] is not { } l) throw new BadInputException(path, $"X_{i} has no lower bound: the input box is unbounded");
            if (upper[i] is not { } u) throw new BadInputException(path, $"X_{i} has no upper bound: the input box is unbounded");
            if (l > u) throw new BadInputException(path, $"empty input box: X_{i} ≥ {Show(l)} and X_{i} ≤ {Show(u)}");
            (lo[i], hi[i]) = (l, u);
            double dl = l.ToInterval().Lo, du = u.ToInterval().Hi;
            if (!double.IsFinite(dl) || !double.IsFinite(du))
                throw new BadInputException(path, $"bounds of X_{i} are beyond the double range");
            box[i] = new Interval(dl, du);
        }
        return new VnnLibSpec(path, n, m, lo, hi, new Box(box), new OutputProperty(clauses));
    }

    private static void Declare(string path, SExpression.List list, SortedSet<int> inputs, SortedSet<int> outputs)
    {
        if (list.Items.Count != 3 || list.Items[1] is not SExpression.Atom name || list.Items[2] is not SExpression.Atom type)
            throw Bad(path, list, "expected (declare-const NAME Real)");
        if (type.Text != "Real") throw Bad(path, list, $"variable {name.Text} has sort {type.Text}; only Real is supported");
        var (kind, index) = Variable(name.Text) ?? throw Bad(path, list, $"variable name '{name.Text}' is not X_i or Y_j");
        var set = kind == 'X' ? inputs : outputs;
        if (!set.Add(index)) throw Bad(path, list, $"{name.Text} is declared twice");
    }

    private static int CheckContiguous(string path, SortedSet<int> indices, string prefix)
    {
        if (indices.Min != 0 || indices.Max != indices.Count - 1)
            throw new BadInputException(path, $"{prefix} variables must be numbered {prefix}_0 … {prefix}_{indices.Count - 1} without gaps");
        return indices.Count;
    }

    private static (char Kind, int Index)? Variable(string name)
    {
        if (name.Length < 3 || (name[0] != 'X' && name[0] != 'Y') || name[1] != '_') return null;
        return int.TryParse(name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? (name[0], i) : null;
    }

    /// <summary>e ≤ 0, or e &lt; 0 when strict.</summary>
    private sealed record Relation(LinearExpression Expr, bool Strict, SExpression Source)
    {
        public LinearConstraint ToOutputConstraint() =>
            new(Expr.Coefficients.Where(kv => kv.Key.Kind == 'Y').ToDictionary(kv => kv.Key.Index, kv => kv.Value), -Expr.Constant, Strict);
    }

    private static void AddBound(string path, SExpression a, Relation r, Rational?[] lower, Rational?[] upper)
    {
        var vars = r.Expr.Coefficients.Where(kv => !kv.Value.IsZero).ToList();
        if (vars.Count != 1)
            throw Bad(path, r.Source, "input constraints must bound one variable each (X_i <= c or X_i >= c); general linear input constraints are not supported");
        var ((_, i), coef) = vars[0];
        // coef·X_i + k ≤ 0  ⇔  X_i ≤ −k/coef (coef > 0) or X_i ≥ −k/coef (coef < 0).
        var bound = -r.Expr.Constant / coef;
        if (coef.Sign > 0) upper[i] = upper[i] is { } u ? Rational.Min(u, bound) : bound;
        else lower[i] = lower[i] is { } l ? Rational.Max(l, bound) : bound;
    }

    private static List<List<Relation>> ToDnf(string path, SExpression e, SortedSet<int> inputs, SortedSet<int> outputs)
    {
        if (e is not SExpression.List list || list.Head is null) throw Bad(path, e, $"expected a formula, found '{e}'");
        var args = list.Items.Skip(1).ToList();
        switch (list.Head)
        {
            case "and":
            {
                var acc = new List<List<Relation>> { new() };
                foreach (var arg in args)
                {
                    var d = ToDnf(path, arg, inputs, outputs);
                    if ((long)acc.Count * d.Count > MaxConjunctions) throw Bad(path, list, $"formula expands to more than {MaxConjunctions} cases");
                    acc = acc.SelectMany(c => d.Select(k => c.Concat(k).ToList())).ToList();
                }
                return acc;
            }
            case "or":
            {
                if (args.Count == 0) throw Bad(path, list, "(or) without arguments");
                var acc = new List<List<Relation>>();
                foreach (var arg in args) acc.AddRange(ToDnf(path, arg, inputs, outputs));
                if (acc.Count > MaxConjunctions) throw Bad(path, list, $"formula expands to more than {MaxConjunctions} cases");
                return acc;
            }
            case "<=": case ">=": case "<": case ">": case "=":
            {
                if (args.Count != 2) throw Bad(path, list, $"({list.Head} a b) takes two terms");
                var l = Term(path, args[0], inputs, outputs);
                var r = Term(path, args[1], inputs, outputs);
                return list.Head switch
                {
                    "<=" => [[new Relation(l - r, false, list)]],
                    "<" => [[new Relation(l - r, true, list)]],
                    ">=" => [[new Relation(r - l, false, list)]],
                    ">" => [[new Relation(r - l, true, list)]],
                    _ => [[new Relation(l - r, false, list), new Relation(r - l, false, list)]],
                };
            }
            default:
                throw Bad(path, list, $"unsupported formula operator '{list.Head}'");
        }
    }

    private static LinearExpression Term(string path, SExpression e, SortedSet<int> inputs, SortedSet<int> outputs)
    {
        if (e is SExpression.Atom atom)
        {
            if (Variable(atom.Text) is { } v)
            {
                if (!(v.Kind == 'X' ? inputs : outputs).Contains(v.Index)) throw Bad(path, e, $"{atom.Text} is used but not declared");
                return LinearExpression.Var(v.Kind, v.Index);
            }
            return LinearExpression.Const(Number(path, atom));
        }
        var list = (SExpression.List)e;
        var args = list.Items.Skip(1).Select(a => Term(path, a, inputs, outputs)).ToList();
        switch (list.Head)
        {
            case "+" when args.Count >= 1:
                return args.Aggregate((a, b) => a + b);
            case "-" when args.Count == 1:
                return -args[0];
            case "-" when args.Count >= 2:
                return args.Skip(1).Aggregate(args[0], (a, b) => a - b);
            case "*" when args.Count >= 1:
                var product = args[0];
                foreach (var b in args.Skip(1))
                    product = LinearExpression.Multiply(product, b) ?? throw Bad(path, list, "a product of two variables is not linear");
                return product;
            default:
                throw Bad(path, list, $"unsupported term '{list}'");
        }
    }

    private static Rational Number(string path, SExpression.Atom atom)
    {
        string s = atom.Text;
        bool plausible = s.Length > 0 && s.All(c => char.IsDigit(c) || c is '.' or '-' or '+' or 'e' or 'E' or '/') && s.Any(char.IsDigit);
        if (plausible)
        {
            try { return Rational.Parse(s); }
            catch (Exception ex) when (ex is FormatException or OverflowException or DivideByZeroException or ArgumentException) { }
        }
        throw Bad(path, atom, $"'{s}' is neither a number nor a declared variable");
    }

    private static string Show(Rational r) => r.ToDouble().ToString("R", CultureInfo.InvariantCulture);

    private static BadInputException Bad(string path, SExpression at, string problem) =>
        new(path, problem, at.Line.ToString(CultureInfo.InvariantCulture));
}

/// <summary>Σ a_v·v + k over the variables X_i, Y_j, in exact rationals.</summary>
internal sealed class LinearExpression
{
    public Dictionary<(char Kind, int Index), Rational> Coefficients { get; } = [];
    public Rational Constant { get; private set; } = Rational.Zero;

    public static LinearExpression Var(char kind, int index) { var e = new LinearExpression(); e.Coefficients[(kind, index)] = Rational.One; return e; }
    public static LinearExpression Const(Rational c) => new() { Constant = c };

    public bool Uses(char kind) => Coefficients.Any(kv => kv.Key.Kind == kind && !kv.Value.IsZero);
    public bool IsConstant => Coefficients.Values.All(v => v.IsZero);

    private LinearExpression Map(Func<Rational, Rational> f)
    {
        var e = new LinearExpression { Constant = f(Constant) };
        foreach (var kv in Coefficients) e.Coefficients[kv.Key] = f(kv.Value);
        return e;
    }

    public static LinearExpression operator -(LinearExpression a) => a.Map(v => -v);

    public static LinearExpression operator +(LinearExpression a, LinearExpression b)
    {
        var e = a.Map(v => v);
        e.Constant += b.Constant;
        foreach (var kv in b.Coefficients)
            e.Coefficients[kv.Key] = (e.Coefficients.TryGetValue(kv.Key, out var c) ? c : Rational.Zero) + kv.Value;
        return e;
    }

    public static LinearExpression operator -(LinearExpression a, LinearExpression b) => a + -b;

    /// <summary>The product when at least one factor is constant, else null (not linear).</summary>
    public static LinearExpression? Multiply(LinearExpression a, LinearExpression b) =>
        a.IsConstant ? b.Map(v => v * a.Constant) : b.IsConstant ? a.Map(v => v * b.Constant) : null;
}
