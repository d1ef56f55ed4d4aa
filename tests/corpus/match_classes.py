"""match over the program's classes: an expression tree simplified and evaluated with class patterns (positional
through __match_args__, keyword, nested, with guards), dataclass events dispatched by their fields, and shapes
(ir/trace.ts matchPattern, MatchClass)."""
from dataclasses import dataclass
from kiln import compile


class Expr:
    pass


class Num(Expr):
    __match_args__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value


class Var(Expr):
    __match_args__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class BinOp(Expr):
    __match_args__ = ("op", "left", "right")

    def __init__(self, op: str, left: Expr, right: Expr) -> None:
        self.op = op
        self.left = left
        self.right = right


class Neg(Expr):
    __match_args__ = ("operand",)

    def __init__(self, operand: Expr) -> None:
        self.operand = operand


class Parser:
    """Prefix notation: + a b, * a b, - a b, ~ a, integers and names."""

    def __init__(self, text: str) -> None:
        self.tokens = text.split()
        self.pos = 0

    def expr(self) -> Expr:
        tok = self.tokens[self.pos]
        self.pos += 1
        if tok in ("+", "*", "-"):
            left = self.expr()
            return BinOp(tok, left, self.expr())
        if tok == "~":
            return Neg(self.expr())
        if tok.lstrip("-").isdigit():
            return Num(int(tok))
        return Var(tok)


def arith(op: str, a: int, b: int) -> int:
    match op:
        case "+":
            return a + b
        case "*":
            return a * b
        case _:
            return a - b


def simplify(e: Expr) -> Expr:
    match e:
        case BinOp("+", Num(0), x) | BinOp("+", x, Num(0)):
            return simplify(x)
        case BinOp("*", Num(1), x) | BinOp("*", x, Num(1)):
            return simplify(x)
        case BinOp("*", Num(0), _) | BinOp("*", _, Num(0)):
            return Num(0)
        case BinOp(op, Num(a), Num(b)):
            return Num(arith(op, a, b))
        case BinOp(op=op, left=left, right=right):
            sl = simplify(left)
            sr = simplify(right)
            if isinstance(sl, Num) and isinstance(sr, Num):
                return Num(arith(op, sl.value, sr.value))
            return BinOp(op, sl, sr)
        case Neg(Neg(inner)):
            return simplify(inner)
        case Neg(Num(v)):
            return Num(-v)
        case Neg(operand):
            return Neg(simplify(operand))
        case _:
            return e


def show(e: Expr) -> str:
    match e:
        case Num(value=v) if v < 0:
            return f"({v})"
        case Num(v):
            return str(v)
        case Var(name):
            return name
        case BinOp(op, left, right):
            return f"({show(left)} {op} {show(right)})"
        case Neg(x):
            return f"-{show(x)}"
    return "?"


def evaluate(e: Expr, env: dict[str, int]) -> int:
    match e:
        case Num(v):
            return v
        case Var(name):
            return env[name]
        case BinOp("+", a, b):
            return evaluate(a, env) + evaluate(b, env)
        case BinOp("*", a, b):
            return evaluate(a, env) * evaluate(b, env)
        case BinOp("-", a, b):
            return evaluate(a, env) - evaluate(b, env)
        case Neg(x):
            return -evaluate(x, env)
    raise ValueError("unknown node")


@compile(examples=["+ 0 * 1 x", "* + 2 3 - 10 y", "~ ~ + x 0", "+ * 0 x 7", "~ 5", "- x ~ -3", "* y + z 1"])
def simplified(src: str) -> str:
    tree = Parser(src).expr()
    return show(simplify(tree))


@compile(examples=[("+ 0 * 1 x", 4), ("* + 2 3 - 10 y", 3), ("~ ~ + x 0", -2), ("- x ~ -3", 5), ("* y + z 1", 1)])
def evaluated(src: str, x: int) -> str:
    """The tree and its simplification give the same value; an unbound name is the KeyError of the environment."""
    tree = Parser(src).expr()
    env = {"x": x, "y": 2 * x}
    try:
        a = evaluate(tree, env)
        b = evaluate(simplify(tree), env)
    except KeyError as e:
        return f"unbound {e}"
    return f"{a} {b} {a == b}"


class Event:
    __match_args__ = ("kind", "at")

    def __init__(self, kind: str, at: int) -> None:
        self.kind = kind
        self.at = at


class Click(Event):
    __match_args__ = ("kind", "at", "x", "y")

    def __init__(self, at: int, x: int, y: int) -> None:
        super().__init__("click", at)
        self.x = x
        self.y = y


class Key(Event):
    __match_args__ = ("kind", "at", "key", "shift")

    def __init__(self, at: int, key: str, shift: bool) -> None:
        super().__init__("key", at)
        self.key = key
        self.shift = shift


def handle(ev: Event, log: list[str]) -> int:
    match ev:
        case Click("click", at, 0, 0):
            log.append(f"corner@{at}")
        case Click(x=x, y=y) if x == y:
            log.append(f"diag{x}")
        case Click(_, _, x, y):
            log.append(f"click {x},{y}")
        case Key(key="q" | "Q"):
            log.append("quit")
            return 1
        case Key(_, at, key, True):
            log.append(f"{key.upper()}@{at}")
        case Key(key=k):
            log.append(k)
        case Event(kind, at):
            log.append(f"{kind}?{at}")
    return 0


@compile(examples=["c0,0 c3,3 kA ks+ c1,2 t kq kz", "", "kQ c5,5", "t t c0,0"])
def replay(script: str) -> str:
    """Each word is an event (cX,Y a click, kK a key, + for shift, anything else a tick); a quit key stops the replay."""
    log: list[str] = []
    for at, word in enumerate(script.split()):
        ev = Event("tick", at)
        if word.startswith("c") and "," in word:
            x, y = word[1:].split(",")
            ev = Click(at, int(x), int(y))
        elif word.startswith("k") and len(word) > 1:
            ev = Key(at, word[1], word.endswith("+"))
        if handle(ev, log):
            break
    return " ".join(log)


@dataclass
class Move:
    dx: int
    dy: int
    label: str = ""


def step(m: Move) -> str:
    match m:
        case Move(0, 0):
            return "stay"
        case Move(0, dy, ""):
            return f"vertical {dy}"
        case Move(dx, 0, label) if label:
            return f"{label} {dx}"
        case Move(dx=dx, dy=dy, label=label):
            return f"{label or 'move'} {dx},{dy}"
    return "?"


@compile(examples=["0,0 0,3 2,0,run 4,0 1,1,jump", "", "0,-2,up"])
def plan(moves: str) -> str:
    """A dataclass's positional sub-patterns follow its fields (its __match_args__), defaults included."""
    out: list[str] = []
    for word in moves.split():
        parts = word.split(",")
        m = Move(int(parts[0]), int(parts[1]), parts[2]) if len(parts) > 2 else Move(int(parts[0]), int(parts[1]))
        out.append(step(m))
    return "; ".join(out)


class Shape:
    def area(self) -> float:
        raise NotImplementedError


class Circle(Shape):
    __match_args__ = ("r",)

    def __init__(self, r: float) -> None:
        self.r = r

    def area(self) -> float:
        return 3.25 * self.r * self.r


class Rect(Shape):
    __match_args__ = ("w", "h")

    def __init__(self, w: float, h: float) -> None:
        self.w = w
        self.h = h

    def area(self) -> float:
        return self.w * self.h


class Square(Rect):
    def __init__(self, side: float) -> None:
        super().__init__(side, side)


def describe(s: Shape) -> str:
    match s:
        case Circle(0.0):
            return "point"
        case Circle(r) if r < 0:
            return "bad circle"
        case Square(w):
            return f"square {w}"
        case Rect(w, h) if w == h:
            return f"square-ish rect {w}"
        case Rect(w=w, h=1.0):
            return f"strip {w}"
        case Circle():
            return f"circle {s.area()}"
        case Rect():
            return f"rect {s.area()}"
    return "shape"


@compile(examples=[(0, 1.5), (0, 0.0), (1, 2.0), (2, 2.0), (3, 1.0), (3, 2.5), (4, 3.0), (5, 2.0), (0, -1.0)])
def shape_report(kind: int, size: float) -> str:
    shapes: list[Shape] = [Circle(size), Square(size), Rect(size, size), Rect(size, 1.0), Rect(size, 2.0), Shape()]
    return describe(shapes[kind % len(shapes)])
