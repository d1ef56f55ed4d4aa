"""Records and hierarchies: bank accounts with a transaction log (dataclasses, ValueError paths), a payroll of
employees with overridden pay rules (inheritance, super(), virtual dispatch, isinstance), a shapes hierarchy with an
abstract base (NotImplementedError), inventory items with properties and validation (TypeError), and a matrix class
with operators."""
import math
from dataclasses import dataclass, field

from kiln import compile


@dataclass
class Transaction:
    kind: str
    amount: float


@dataclass
class Account:
    owner: str
    balance: float = 0.0
    log: list[Transaction] = field(default_factory=list, repr=False)

    def deposit(self, amount: float) -> None:
        if amount <= 0:
            raise ValueError(f"deposit must be positive, got {amount}")
        self.balance += amount
        self.log.append(Transaction("deposit", amount))

    def withdraw(self, amount: float) -> None:
        if amount > self.balance:
            raise ValueError(f"insufficient funds: balance {self.balance}, asked {amount}")
        self.balance -= amount
        self.log.append(Transaction("withdraw", amount))


def transfer(src: Account, dst: Account, amount: float) -> None:
    src.withdraw(amount)
    dst.deposit(amount)


@compile(examples=[(100.0, 30.0), (10.0, 50.0), (5.0, -1.0)])
def bank_transfer(start: float, amount: float) -> str:
    a = Account("ann")
    b = Account("bob", 5.0)
    a.deposit(start)
    transfer(a, b, amount)
    kinds = ""
    for t in a.log:
        kinds += t.kind[0]
    return f"{a} {b} {kinds} {len(b.log)} {b.log[0]}"


@compile(examples=[(3, 10.0), (0, 1.0)])
def interest_ledger(years: int, rate: float) -> float:
    acc = Account("zoe", 1000.0)
    for y in range(years):
        acc.deposit(acc.balance * rate / 100.0 + 1.0)
    total = 0.0
    for t in acc.log:
        total += t.amount
    return round(total, 6)


class Employee:
    def __init__(self, name: str, base: float):
        self.name = name
        self.base = base

    def pay(self) -> float:
        return self.base

    def title(self) -> str:
        return "employee"

    def summary(self) -> str:
        return f"{self.name} ({self.title()}): {self.pay():.2f}"


class Manager(Employee):
    def __init__(self, name: str, base: float, reports: int):
        super().__init__(name, base)
        self.reports = reports

    def pay(self) -> float:
        return super().pay() * 1.5 + 100.0 * self.reports

    def title(self) -> str:
        return "manager"


class Contractor(Employee):
    def __init__(self, name: str, rate: float, hours: int):
        super().__init__(name, 0.0)
        self.rate = rate
        self.hours = hours

    def pay(self) -> float:
        if self.hours < 0:
            raise ValueError("negative hours")
        return self.rate * self.hours


class Director(Manager):
    def title(self) -> str:
        return "director"


@compile(examples=[(1000.0, 40), (2500.0, 0), (100.0, -1)])
def payroll(base: float, hours: int) -> str:
    staff = [Employee("eve", base), Manager("max", base, 3), Contractor("cal", 55.5, hours), Director("dee", base * 2, 1)]
    total = 0.0
    lines = []
    managers = 0
    for e in staff:
        total += e.pay()
        lines.append(e.summary())
        if isinstance(e, Manager):
            managers += 1
    return f"{total:.2f} {managers} " + "|".join(lines)


class Shape:
    def area(self) -> float:
        raise NotImplementedError("Shape.area")

    def perimeter(self) -> float:
        raise NotImplementedError("perimeter")


class Circle(Shape):
    def __init__(self, r: float):
        if r < 0:
            raise ValueError("negative radius")
        self.r = r

    def area(self) -> float:
        return math.pi * self.r ** 2

    def perimeter(self) -> float:
        return 2 * math.pi * self.r


class Rect(Shape):
    def __init__(self, w: float, h: float):
        self.w = w
        self.h = h

    def area(self) -> float:
        return self.w * self.h

    def perimeter(self) -> float:
        return 2 * (self.w + self.h)


class Square(Rect):
    def __init__(self, s: float):
        super().__init__(s, s)


class Triangle(Shape):
    def __init__(self, a: float, b: float, c: float):
        if a + b <= c or a + c <= b or b + c <= a:
            raise ValueError("not a triangle")
        self.a = a
        self.b = b
        self.c = c

    def perimeter(self) -> float:
        return self.a + self.b + self.c


@compile(examples=[(1.0, 2.0), (0.0, 3.0), (-1.0, 1.0)])
def shape_totals(x: float, y: float) -> str:
    shapes = [Circle(x), Rect(x, y), Square(y)]
    area = 0.0
    perim = 0.0
    squares = 0
    for s in shapes:
        area += s.area()
        perim += s.perimeter()
        if isinstance(s, Square):
            squares += 1
    return f"{area:.6f} {perim:.6f} {squares}"


@compile(examples=[(3.0, 4.0, 5.0), (1.0, 1.0, 3.0)])
def triangle_area(a: float, b: float, c: float) -> float:
    t = Triangle(a, b, c)
    return t.perimeter() + t.area()


class Item:
    TAX = 0.2
    CURRENCY = "EUR"

    def __init__(self, name: str, price: float, qty: int):
        self.name = name
        self.price = price
        self.qty = qty

    @property
    def value(self) -> float:
        return self.price * self.qty

    def gross(self) -> str:
        return f"{self.value * (1 + self.TAX):.2f} {Item.CURRENCY}"

    @property
    def quantity(self) -> int:
        return self.qty

    @quantity.setter
    def quantity(self, q: int) -> None:
        if q < 0:
            raise ValueError(f"quantity of {self.name} cannot be negative")
        self.qty = q


class Inventory:
    def __init__(self):
        self.items: list[Item] = []

    def add(self, item: Item) -> None:
        for it in self.items:
            if it.name == item.name:
                raise TypeError(f"duplicate item {item.name!r}")
        self.items.append(item)

    def total(self) -> float:
        t = 0.0
        for it in self.items:
            t += it.value
        return t

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, name: str) -> bool:
        for it in self.items:
            if it.name == name:
                return True
        return False


@compile(examples=[(3, "bolt"), (-2, "nut"), (1, "washer")])
def inventory(extra: int, name: str) -> str:
    inv = Inventory()
    inv.add(Item("bolt", 0.25, 100))
    inv.add(Item("nut", 0.1, 250))
    inv.items[0].quantity = inv.items[0].quantity + extra
    inv.items[1].quantity += extra * 10
    return f"{len(inv)} {inv.total():.2f} {name in inv} {'gear' in inv} {inv.items[1].gross()} {Item.TAX * extra}"


@compile(examples=["bolt", "gear"])
def duplicate_item(name: str) -> int:
    inv = Inventory()
    inv.add(Item("bolt", 1.0, 1))
    inv.add(Item(name, 2.0, 2))
    return len(inv)


class Matrix:
    def __init__(self, n: int, m: int):
        self.n = n
        self.m = m
        self.data = [0.0] * (n * m)

    def __getitem__(self, ij: tuple[int, int]) -> float:
        i, j = ij
        if not (0 <= i < self.n and 0 <= j < self.m):
            raise IndexError("matrix index out of range")
        return self.data[i * self.m + j]

    def __setitem__(self, ij: tuple[int, int], v: float) -> None:
        i, j = ij
        self.data[i * self.m + j] = v

    def __matmul__(self, o: "Matrix") -> "Matrix":
        if self.m != o.n:
            raise ValueError(f"shapes {self.n}x{self.m} and {o.n}x{o.m} do not align")
        r = Matrix(self.n, o.m)
        for i in range(self.n):
            for j in range(o.m):
                s = 0.0
                for k in range(self.m):
                    s += self[i, k] * o[k, j]
                r[i, j] = s
        return r

    def trace(self) -> float:
        t = 0.0
        for i in range(min(self.n, self.m)):
            t += self[i, i]
        return t


@compile(examples=[(2, 1.5), (3, -0.5), (0, 1.0)])
def matrix_power_trace(n: int, x: float) -> float:
    n = abs(n) % 6
    a = Matrix(n, n)
    for i in range(n):
        for j in range(n):
            a[i, j] = x * (i + 1) - j
    b = a @ a @ a
    return b.trace()


@compile(examples=[(2, 3)])
def matrix_mismatch(n: int, m: int) -> float:
    n = abs(n) % 5 + 1
    m = abs(m) % 5 + 1
    return (Matrix(n, m) @ Matrix(n, m)).trace()


@compile(examples=[(2, 1), (2, 5)])
def matrix_bad_index(n: int, i: int) -> float:
    n = abs(n) % 6
    return Matrix(n, n)[i, 0]
