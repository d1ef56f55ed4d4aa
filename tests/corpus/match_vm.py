"""A small stack VM and expression tools driven by match statements (ir/trace.ts matchStmt), with errors raised
and caught the way an interpreter does."""
from kiln import compile


@compile(examples=["push 2 push 3 add", "push 7 push 0 div", "push 1 pop pop", "push 4 dup mul push 3 sub", "jump", "push x", ""])
def run_program(source: str) -> str:
    stack: list[int] = []
    words = source.split()
    pc = 0
    try:
        while pc < len(words):
            word = words[pc]
            match word:
                case "push":
                    if pc + 1 >= len(words):
                        raise ValueError("push needs an operand")
                    stack.append(int(words[pc + 1]))
                    pc += 1
                case "pop":
                    stack.pop()
                case "dup":
                    stack.append(stack[-1])
                case "add" | "sub" | "mul" | "div" as op:
                    b = stack.pop()
                    a = stack.pop()
                    match op:
                        case "add":
                            stack.append(a + b)
                        case "sub":
                            stack.append(a - b)
                        case "mul":
                            stack.append(a * b)
                        case _:
                            stack.append(a // b)
                case other:
                    raise RuntimeError(f"unknown instruction {other!r} at {pc}")
            pc += 1
    except IndexError:
        return "stack underflow"
    except ZeroDivisionError as e:
        return "error: " + str(e)
    except (ValueError, RuntimeError) as e:
        return f"{type(e).__name__}: {e}"
    return " ".join([str(x) for x in stack])


@compile(examples=[0, 1, 5, 15, 30, -3])
def fizz(n: int) -> str:
    match (n % 3, n % 5):
        case (0, 0):
            return "FizzBuzz"
        case (0, _):
            return "Fizz"
        case (_, 0):
            return "Buzz"
        case _:
            return str(n)


@compile(examples=[[1, 2, 3], [], [4], [5, 6], [0, 0, 0, 0]])
def summarize(xs: list[int]) -> str:
    match xs:
        case []:
            return "nothing"
        case [only]:
            return f"just {only}"
        case [first, second]:
            return f"{first} and {second}"
        case [first, *middle, last] if len(middle) > 1:
            return f"{first}..{last} ({len(middle)} between)"
        case [first, *rest]:
            return f"{first} then {sum(rest)}"
    return "unreachable"


@compile(examples=[("x=1,y=2", "x"), ("op=neg,arg=4", "op"), ("op=add,a=1,b=2", "op"), ("", "q")])
def dispatch(spec: str, key: str) -> int:
    fields: dict[str, str] = {}
    for part in spec.split(","):
        if "=" in part:
            k, v = part.split("=")
            fields[k] = v
    match fields:
        case {"op": "neg", "arg": arg}:
            return -int(arg)
        case {"op": "add", "a": a, "b": b}:
            return int(a) + int(b)
        case {"x": x}:
            return int(x) * 10
        case _:
            return len(fields) - 100


@compile(examples=[(True, 0), (False, 3), (False, -2)])
def flags(on: bool, level: int) -> int:
    match on:
        case True:
            return 100
        case False if level > 0:
            return level
    match level:
        case -1 | -2 | -3 as low:
            return low * 10
        case _:
            return 0


@compile(examples=["(1 2 +)", "(3 4 *) (5 -)", "(1 0 /)", "(9 ?)", "(+)"])
def rpn_groups(text: str) -> int:
    """Evaluates each parenthesised RPN group and sums the results; a bad group counts -1000."""
    total = 0
    for group in text.replace("(", " ").split(")"):
        tokens = group.split()
        if not tokens:
            continue
        stack: list[int] = []
        try:
            for tok in tokens:
                match tok:
                    case "+" | "-" | "*" | "/":
                        b = stack.pop()
                        a = stack.pop()
                        match tok:
                            case "+":
                                stack.append(a + b)
                            case "-":
                                stack.append(a - b)
                            case "*":
                                stack.append(a * b)
                            case "/":
                                stack.append(a // b)
                    case digits if digits.isdigit():
                        stack.append(int(digits))
                    case _:
                        raise ValueError("bad token " + tok)
            total += stack[-1]
        except (IndexError, ZeroDivisionError, ValueError):
            total -= 1000
    return total


def apply_op(out: list[int], op: str) -> None:
    b = out.pop()
    a = out.pop()
    match op:
        case "+":
            out.append(a + b)
        case "-":
            out.append(a - b)
        case "*":
            out.append(a * b)
        case "/":
            out.append(a // b)


@compile(examples=["1 + 2 * 3", "( 1 + 2 ) * 3", "8 / 0", "2 *", "7 - ( 3 - 1 )", "9 % 4"])
def calc(text: str) -> str:
    """Shunting-yard over tokens; operators dispatched by match, errors by their class."""
    prec = {"+": 1, "-": 1, "*": 2, "/": 2}
    out = [0] * 0
    ops: list[str] = []

    try:
        for tok in text.split():
            match tok:
                case "(":
                    ops.append(tok)
                case ")":
                    while ops[-1] != "(":
                        apply_op(out, ops.pop())
                    ops.pop()
                case "+" | "-" | "*" | "/":
                    while ops and ops[-1] != "(" and prec[ops[-1]] >= prec[tok]:
                        apply_op(out, ops.pop())
                    ops.append(tok)
                case number if number.isdigit():
                    out.append(int(number))
                case _:
                    bad_token(tok)
        while ops:
            apply_op(out, ops.pop())
        return str(out[0])
    except ZeroDivisionError:
        return "division by zero"
    except IndexError:
        return "missing operand"
    except (KeyError, ValueError) as e:
        return "bad token " + str(e)


def bad_token(tok: str) -> None:
    raise ValueError(tok)


@compile(examples=["aab", "abab", "", "ba", "aaab"])
def accepts(word: str) -> bool:
    """A state machine for a*b (at least one a): states and transitions by match on (state, char)."""
    state = "start"
    for c in word:
        match (state, c):
            case ("start", "a") | ("as", "a"):
                state = "as"
            case ("as", "b"):
                state = "done"
            case _:
                return False
    return state == "done"


@compile(examples=[[3, 1, 2], [], [5], [2, 2], [9, 8, 7, 6]])
def describe_sorted(xs: list[int]) -> str:
    ys = sorted(xs)
    match ys:
        case []:
            return "empty"
        case [x] if x > 4:
            return "one big"
        case [x]:
            return "one small"
        case [a, b] if a == b:
            return "twin"
        case [lo, *_, hi]:
            return f"range {hi - lo}"
    return "?"


@compile(examples=[("add", 2, 3), ("mul", 4, 5), ("neg", 7, 0), ("div", 1, 0), ("pow", 2, 10), ("nop", 0, 0)])
def op_code(name: str, a: int, b: int) -> int:
    try:
        match name:
            case "add":
                return a + b
            case "mul":
                return a * b
            case "neg":
                return -a
            case "div":
                return a // b
            case "pow" if b < 20:
                return a ** b
            case _:
                raise NotImplementedError(name)
    except ArithmeticError:
        return -1


@compile(examples=[(0, True), (3, False), (-2, True), (-7, False)])
def number_kind(n: int, half: bool) -> str:
    """Class patterns of numbers: the subject is an int on one path and a float on the other."""
    x = n / 2 if half else n
    match x:
        case int(v) if v < 0:
            return "negative int " + str(v)
        case int():
            return "int"
        case float(f):
            return f"float {f}"
    return "?"
