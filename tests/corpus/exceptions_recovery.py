"""Parsers and loops that recover from errors: a tokenizer that skips bad characters, int parsing with a ValueError
fallback, retry loops, early exits through exceptions, cleanup in finally (try/except/else/finally, lower/c_exceptions.ts)."""
from kiln import compile


def digit_value(c: str) -> int:
    if not c.isdigit():
        raise ValueError(f"not a digit: {c!r}")
    return ord(c) - 48


def parse_number(text: str) -> int:
    if not text:
        raise ValueError("empty number")
    value = 0
    for c in text:
        value = value * 10 + digit_value(c)
    return value


@compile(examples=["1 22 x3 4", "", "   ", "7 7 7", "a b c", "12345678901234567890 1"])
def sum_tokens(line: str) -> int:
    """Sums the numbers of a line; a bad token counts as -1 and parsing goes on."""
    total = 0
    for word in line.split():
        try:
            total += parse_number(word)
        except ValueError:
            total -= 1
    return total


@compile(examples=["12", "-7", "abc", "", "3.5", " 42 ", "0x1f", "1_000"])
def int_or_default(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


@compile(examples=["12", "abc", "", "99999999999999999999999", "-5", "1e5"])
def int_error_message(text: str) -> str:
    try:
        n = int(text)
    except ValueError as e:
        return f"{type(e).__name__}: {e}"
    else:
        return "ok " + str(n)


@compile(examples=["3+4*2", "10/0", "8/(3-3)", "2*(5+1)", "7/2", "(1", "4+"])
def evaluate(expr: str) -> str:
    """A recursive-descent calculator over ints; every error becomes its message."""
    pos = 0
    stack: list[int] = []
    ops: list[str] = []
    try:
        num = ""
        for c in expr + "$":
            if c.isdigit():
                num += c
                continue
            if num:
                stack.append(int(num))
                num = ""
            if c in "+-*/$()":
                while ops and ops[-1] in "*/" and c not in "(":
                    b = stack.pop()
                    a = stack.pop()
                    op = ops.pop()
                    stack.append(a * b if op == "*" else a // b)
                if c == "$":
                    break
                ops.append(c)
            pos += 1
        while ops:
            op = ops.pop()
            if op in "()":
                continue
            b = stack.pop()
            a = stack.pop()
            stack.append(a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a // b)
        if len(stack) != 1:
            raise ValueError("unbalanced expression")
        return str(stack[0])
    except ZeroDivisionError as e:
        return f"division by zero at {pos}: {e}"
    except IndexError:
        return "incomplete expression"
    except ValueError as e:
        return str(e)


def fail_attempt(attempt: int) -> None:
    raise RuntimeError(f"attempt {attempt} failed")


@compile(examples=[(1, 3), (5, 3), (0, 0), (4, 10)])
def retry_until(succeed_at: int, max_tries: int) -> int:
    """Retries an operation that fails until attempt `succeed_at`; the last failure escapes."""
    attempt = 0
    while True:
        attempt += 1
        try:
            if attempt < succeed_at:
                fail_attempt(attempt)
            return attempt
        except RuntimeError:
            if attempt >= max_tries:
                raise
            continue


@compile(examples=[(5, 6), (5, 100), (1, 0), (10, 81)])
def find_pair(n: int, target: int) -> int:
    """Early exit from a double loop through an exception."""
    found = -1
    try:
        for i in range(n):
            for j in range(n):
                if i * j == target:
                    found = i * 100 + j
                    raise LookupError("found")
    except LookupError:
        pass
    return found


@compile(examples=[0, 1, 2, 3, 4])
def cleanup_log(k: int) -> str:
    """The order finally runs in, around returns, breaks and errors."""
    log = ""
    for i in range(3):
        try:
            log += "b"
            if k == 1 and i == 1:
                break
            if k == 2:
                continue
            if k == 3 and i == 2:
                return log + "R"
            if k == 4:
                raise KeyError(str(i))
            log += "n"
        except KeyError as e:
            log += "k" + str(e)
        finally:
            log += "f"
    return log


@compile(examples=[0, 1, 2, 3, 5])
def reraise_kind(k: int) -> int:
    """Handlers that re-raise: bare raise, raise e, raise ... from e; the finally still runs."""
    count = 0
    try:
        try:
            if k == 1:
                raise ValueError("one")
            if k == 2:
                raise IndexError("two")
            if k == 3:
                count = 10 // (k - 3)
            count = 1
        except ValueError:
            count += 100
            raise
        except LookupError as e:
            raise e
        except ArithmeticError as e:
            raise RuntimeError(f"wrapped: {e}") from e
        finally:
            count += 1000
    except Exception as e:
        if type(e).__name__ == "RuntimeError":
            raise
        return count + len(str(e))
    return count


@compile(examples=[[3, 0, 4], [1, 2], [], [0, 0, 7]])
def safe_ratios(xs: list[int]) -> list[float]:
    out = []
    for i in range(len(xs) - 1):
        try:
            out.append(xs[i + 1] / xs[i])
        except ZeroDivisionError:
            out.append(float("inf"))
    return out


@compile(examples=[(3, "abc"), (0, "x"), (-1, "hello"), (9, "")])
def char_or_marker(i: int, s: str) -> str:
    try:
        return s[i] * 2
    except IndexError as e:
        return "<" + str(e) + ">"


@compile(examples=[(1, 2), (0, 0), (5, -1)])
def checked_mean(total: int, count: int) -> float:
    try:
        assert count > 0, "count must be positive"
        return total / count
    except AssertionError as e:
        return -float(len(str(e)))


@compile(examples=[("a=1;b=2;c", "b"), ("a=1;a=x", "a"), ("", "z"), ("k=v;k=7", "k")])
def config_value(text: str, key: str) -> int:
    """A key=value config: missing keys and bad values have their own fallbacks."""
    values: dict[str, str] = {}
    for item in text.split(";"):
        if "=" in item:
            k, v = item.split("=")
            values[k] = v
    try:
        raw = values[key]
        return int(raw)
    except KeyError:
        return -1
    except ValueError:
        return -2


@compile(examples=[4, 0, 25, 1000])
def collatz_budget(n: int) -> int:
    """Steps of the Collatz walk from n, or an error once the budget is exhausted."""
    steps = 0
    try:
        while n != 1:
            if steps >= 100:
                raise OverflowError("budget exhausted")
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
    except OverflowError:
        return -steps
    except ZeroDivisionError:
        return -1
    finally:
        steps += 1
    return steps


@compile(examples=[0, 1, 2, 3, 4])
def nested_cleanup(k: int) -> str:
    """Two finally clauses around break, continue and return, and the loop's else."""
    log = ""
    for i in range(3):
        try:
            try:
                if i == k:
                    break
                if i + 1 == k:
                    continue
                if k == 4:
                    return log + "R"
                log += str(i)
            finally:
                log += "a"
        finally:
            log += "b"
    else:
        log += "E"
    return log


def release(slot: int) -> int:
    try:
        return 10 // slot
    except ZeroDivisionError:
        return -1


@compile(examples=[0, 1, 2])
def cleanup_with_helper(k: int) -> int:
    """The finally clause calls a helper that raises and catches inside: the pending error is the original one."""
    r = 0
    try:
        try:
            if k > 0:
                raise IndexError("slot " + str(k))
            r = 1
        finally:
            r += release(k - 1)
    except IndexError as e:
        return r * 100 + len(str(e))
    return r


@compile(examples=[0, 1, 2, 3])
def maybe_unset(k: int) -> int:
    """A value set in the try body is unbound after it when the body raised (UnboundLocalError, as CPython)."""
    try:
        if k == 1:
            raise ValueError("v")
        x = 10 // (k - 2)
    except ValueError:
        return -1
    except ZeroDivisionError:
        pass
    return x


@compile(examples=[(1,), (5,)])
def augmented_none(n: int) -> str:
    """x op= None raises CPython's TypeError, which names the augmented operator (+=, **=), not the plain one."""
    out = ""
    for k in range(6):
        x = None if n > 3 else 2.0
        t = 3.0
        try:
            if k == 0:
                t += x
            elif k == 1:
                t -= x
            elif k == 2:
                t *= x
            elif k == 3:
                t /= x
            elif k == 4:
                t **= x
            else:
                t = t + x
        except TypeError as e:
            out += str(e) + ";"
            continue
        out += str(t) + ";"
    return out


@compile(examples=[(0,), (9,), (60,)])
def rows_in_try(n: int) -> int:
    """A list made per iteration inside a try is freed each iteration (opt/listFrees.ts), also when the error skips
    the rest of the body: the next iteration's definition frees the one left in its slot."""
    total = 0
    for i in range(min(n, 50)):
        try:
            row = [i, i + 1, i + 2]
            total += row[i % 4]
            total += len(row)
        except IndexError:
            total -= 1
    return total


@compile(examples=[(0,), (4,), (60,)])
def returned_then_grown(n: int) -> list[int]:
    """`return xs` inside a try whose finally clause still uses xs: the list the caller gets is the one the clause
    appended to, so it is not moved out of its variable before the clause runs."""
    xs = [i * i for i in range(min(n, 50))]
    try:
        return xs
    finally:
        xs.append(len(xs))
