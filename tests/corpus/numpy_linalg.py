"""Small dense linear algebra as fitting, simulation and geometry code writes it: np.linalg.solve, inv and det."""
import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(ndim={"a": 2}, examples=[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[4, 7], [2, 6]], [[2, 0, 0], [0, 3, 0], [0, 0, 4]]])
def integer_inverse(a: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """The inverse of an integer matrix (NumPy computes it in float64); a singular one raises LinAlgError."""
    return np.linalg.inv(a)


@compile(ndim={"basis": 2})
def coordinates(basis: npt.NDArray[np.int32], v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The coordinates of v in the basis of basis's columns."""
    return np.linalg.inv(basis) @ v


@compile(ndim={"x": 2})
def ridge_fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], lam: float) -> npt.NDArray[np.float64]:
    """Ridge regression by its normal equations: (X^T X + lam I) w = X^T y."""
    g = x.T @ x + lam * np.eye(x.shape[1])
    return np.linalg.solve(g, x.T @ y)


@compile(ndim={"a": 2, "b": 2})
def solve_many(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Several right-hand sides at once (b's columns)."""
    return np.linalg.solve(a, b)


@compile(ndim={"a": 2})
def solve_vector(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.linalg.solve(a, b)


@compile(ndim={"a": 2})
def solve_single(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """float32 stays float32 (NumPy's sgesv)."""
    return np.linalg.solve(a, b)


@compile(ndim={"p": 2})
def stationary(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The stationary distribution of a Markov chain: pi (P - I) = 0 with the probabilities summing to one."""
    n = p.shape[0]
    m = p.T - np.eye(n)
    m[n - 1, :] = 1.0
    rhs = np.zeros(n)
    rhs[n - 1] = 1.0
    return np.linalg.solve(m, rhs)


@compile(ndim={"a": 2}, examples=[[[1.0, 2.0], [3.0, 4.0]], [[2.0, 0.0], [0.0, 2.0]], [[1.0, 2.0], [2.0, 4.0]]])
def determinant(a: npt.NDArray[np.float64]) -> float:
    return float(np.linalg.det(a))


@compile(ndim={"a": 2})
def det_sign(a: npt.NDArray[np.int64]) -> int:
    """The orientation of a basis: the sign of its determinant (0 for a singular one)."""
    d = np.linalg.det(a)
    if d > 0:
        return 1
    if d < 0:
        return -1
    return 0


@compile(ndim={"a": 2})
def det_single(a: npt.NDArray[np.float32]) -> np.float32:
    return np.linalg.det(a)


@compile
def triangle_area(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
    """Half the determinant of the triangle's edge vectors."""
    m = np.array([[bx - ax, cx - ax], [by - ay, cy - ay]])
    return abs(float(np.linalg.det(m))) / 2.0


@compile
def laplacian_inverse_trace(n: int) -> float:
    """The trace of the inverse of the n x n second-difference matrix (2 on the diagonal, -1 beside it)."""
    h = 2.0 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
    return float(np.trace(np.linalg.inv(h)))


@compile
def blocked_solve(n: int) -> npt.NDArray[np.float64]:
    """40 to 119 rows: factored and solved in blocks on the GEMM (kiln_linalg.h) past 32."""
    m = 40 + n % 80
    a = (np.arange(m * m) * 7919 % 101).reshape(m, m) / 101.0 + m * np.eye(m)
    x = np.linalg.solve(a, np.arange(m) * 1.0)
    return np.linalg.inv(a)[m // 2] + x + np.linalg.det(a / m)
