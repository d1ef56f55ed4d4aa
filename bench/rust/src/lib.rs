//! Hand-written Rust references for Kiln's benchmark suite, in Kiln's calling convention:
//! `ref_<name>(params..., out: *mut T) -> i32` returns 0 and writes the result to `*out`.
//! No dependencies, so `cargo build --release --offline` works without crates.io.
#![allow(clippy::missing_safety_doc)]

#[no_mangle]
pub unsafe extern "C" fn ref_fma(x: f64, y: f64, z: f64, out: *mut f64) -> i32 {
    *out = x * y + z;
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_fma_loop(x: f64, y: f64, z: f64, n_iter: i64, out: *mut f64) -> i32 {
    let mut result = 0.0;
    for _ in 0..n_iter {
        result = x * y + z;
    }
    *out = result;
    0
}

fn fib(n: i64) -> i64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

#[no_mangle]
pub unsafe extern "C" fn ref_fib(n: i64, out: *mut i64) -> i32 {
    *out = fib(n);
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_mandelbrot(size: i64, max_iter: i64, out: *mut i64) -> i32 {
    let mut total: i64 = 0;
    for py in 0..size {
        let ci = 2.0 * py as f64 / size as f64 - 1.0;
        for px in 0..size {
            let cr = 2.0 * px as f64 / size as f64 - 1.5;
            let (mut zr, mut zi) = (0.0f64, 0.0f64);
            let mut n = 0;
            while n < max_iter && zr * zr + zi * zi <= 4.0 {
                let t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n += 1;
            }
            total += n;
        }
    }
    *out = total;
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_collatz_longest(limit: i64, out: *mut i64) -> i32 {
    let (mut best_start, mut best_len) = (1i64, 1i64);
    for start in 1..limit {
        let (mut n, mut length) = (start, 1i64);
        while n != 1 {
            n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
            length += 1;
        }
        if length > best_len {
            best_len = length;
            best_start = start;
        }
    }
    *out = best_start;
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_nbody(steps: i64, out: *mut f64) -> i32 {

  let pi = std::f64::consts::PI; let solar_mass = 4.0 * pi * pi; let days = 365.24; let dt = 0.01;
  let mut x1 = 4.84143144246472090e+00; let mut y1 = -1.16032004402742839e+00; let mut z1 = -1.03622044471123109e-01;
  let mut vx1 = 1.66007664274403694e-03 * days; let mut vy1 = 7.69901118419740425e-03 * days; let mut vz1 = -6.90460016972063023e-05 * days;
  let m1 = 9.54791938424326609e-04 * solar_mass;
  let mut x2 = 8.34336671824457987e+00; let mut y2 = 4.12479856412430479e+00; let mut z2 = -4.03523417114321381e-01;
  let mut vx2 = -2.76742510726862411e-03 * days; let mut vy2 = 4.99852801234917238e-03 * days; let mut vz2 = 2.30417297573763929e-05 * days;
  let m2 = 2.85885980666130812e-04 * solar_mass;
  let m0 = solar_mass;
  let mut x0: f64 = 0.0; let mut y0: f64 = 0.0; let mut z0: f64 = 0.0;
  let mut vx0 = -(vx1 * m1 + vx2 * m2) / solar_mass;
  let mut vy0 = -(vy1 * m1 + vy2 * m2) / solar_mass;
  let mut vz0 = -(vz1 * m1 + vz2 * m2) / solar_mass;
  for _ in 0..steps {
    {
      let dx = x0 - x1; let dy = y0 - y1; let dz = z0 - z1;
      let d2 = dx * dx + dy * dy + dz * dz;
      let mag = dt / (d2 * d2.sqrt());
      vx0 -= dx * m1 * mag;
      vy0 -= dy * m1 * mag;
      vz0 -= dz * m1 * mag;
      vx1 += dx * m0 * mag;
      vy1 += dy * m0 * mag;
      vz1 += dz * m0 * mag;
    }
    {
      let dx = x0 - x2; let dy = y0 - y2; let dz = z0 - z2;
      let d2 = dx * dx + dy * dy + dz * dz;
      let mag = dt / (d2 * d2.sqrt());
      vx0 -= dx * m2 * mag;
      vy0 -= dy * m2 * mag;
      vz0 -= dz * m2 * mag;
      vx2 += dx * m0 * mag;
      vy2 += dy * m0 * mag;
      vz2 += dz * m0 * mag;
    }
    {
      let dx = x1 - x2; let dy = y1 - y2; let dz = z1 - z2;
      let d2 = dx * dx + dy * dy + dz * dz;
      let mag = dt / (d2 * d2.sqrt());
      vx1 -= dx * m2 * mag;
      vy1 -= dy * m2 * mag;
      vz1 -= dz * m2 * mag;
      vx2 += dx * m1 * mag;
      vy2 += dy * m1 * mag;
      vz2 += dz * m1 * mag;
    }
    x0 += dt * vx0;
    y0 += dt * vy0;
    z0 += dt * vz0;
    x1 += dt * vx1;
    y1 += dt * vy1;
    z1 += dt * vz1;
    x2 += dt * vx2;
    y2 += dt * vy2;
    z2 += dt * vz2;
  }
  let mut e: f64 = 0.0;
  e += 0.5 * m0 * (vx0 * vx0 + vy0 * vy0 + vz0 * vz0);
  e += 0.5 * m1 * (vx1 * vx1 + vy1 * vy1 + vz1 * vz1);
  e += 0.5 * m2 * (vx2 * vx2 + vy2 * vy2 + vz2 * vz2);
  {
    let dx = x0 - x1; let dy = y0 - y1; let dz = z0 - z1;
    e -= m0 * m1 / (dx * dx + dy * dy + dz * dz).sqrt();
  }
  {
    let dx = x0 - x2; let dy = y0 - y2; let dz = z0 - z2;
    e -= m0 * m2 / (dx * dx + dy * dy + dz * dz).sqrt();
  }
  {
    let dx = x1 - x2; let dy = y1 - y2; let dz = z1 - z2;
    e -= m1 * m2 / (dx * dx + dy * dy + dz * dz).sqrt();
  }
    *out = e;
  0
}

fn eval_a(i: i64, j: i64) -> f64 {
    1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) as f64
}

fn mul_atav(n: usize, src: &[f64], t: &mut [f64], dst: &mut [f64]) {
    for i in 0..n {
        let mut s = 0.0;
        for j in 0..n {
            s += eval_a(i as i64, j as i64) * src[j];
        }
        t[i] = s;
    }
    for i in 0..n {
        let mut s = 0.0;
        for j in 0..n {
            s += eval_a(j as i64, i as i64) * t[j];
        }
        dst[i] = s;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ref_spectral_norm(n: i64, out: *mut f64) -> i32 {
    let n = n as usize;
    let (mut u, mut v, mut t) = (vec![1.0f64; n], vec![0.0f64; n], vec![0.0f64; n]);
    for _ in 0..10 {
        mul_atav(n, &u, &mut t, &mut v);
        mul_atav(n, &v, &mut t, &mut u);
    }
    let (mut vbv, mut vv) = (0.0, 0.0);
    for i in 0..n {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    *out = (vbv / vv).sqrt();
    0
}

// ---- array kernels: Kiln's array ABI (data, shape[3], strides[3] in elements; results malloc'd for kiln_free) ----

#[repr(C)]
pub struct ArrayF64 {
    data: *mut f64,
    shape: [i64; 3],
    strides: [i64; 3],
}

#[repr(C)]
pub struct ArrayI64 {
    data: *mut i64,
    shape: [i64; 3],
    strides: [i64; 3],
}

extern "C" {
    // The harness releases array results with kiln_free (= free), so they come from the C allocator.
    fn malloc(size: usize) -> *mut u8;
    fn calloc(count: usize, size: usize) -> *mut u8;
}

fn contiguous1(shape: &[i64; 3], strides: &[i64; 3]) -> bool {
    shape[0] <= 1 || strides[0] == 1
}

fn contiguous2(shape: &[i64; 3], strides: &[i64; 3]) -> bool {
    (shape[1] <= 1 || strides[1] == 1) && (shape[0] <= 1 || strides[0] == shape[1])
}

/// A C-contiguous float64 result of n x m (nd = 1 or 2), written to *out; None when memory ran out.
unsafe fn result_f64<'a>(out: *mut ArrayF64, n: i64, m: i64, nd: usize, zero: bool) -> Option<&'a mut [f64]> {
    let count = (n * m).max(1) as usize;
    let p = if zero { calloc(count, 8) } else { malloc(count * 8) } as *mut f64;
    if p.is_null() {
        return None;
    }
    (*out).data = p;
    (*out).shape = [n, if nd == 2 { m } else { 1 }, 1];
    (*out).strides = [if nd == 2 { m } else { 1 }, 1, 0];
    Some(std::slice::from_raw_parts_mut(p, (n * m) as usize))
}

#[no_mangle]
pub unsafe extern "C" fn ref_dot(a: ArrayF64, b: ArrayF64, out: *mut f64) -> i32 {
    let n = a.shape[0];
    if b.shape[0] < n || !contiguous1(&a.shape, &a.strides) || !contiguous1(&b.shape, &b.strides) {
        return 1;
    }
    let (x, y) = (std::slice::from_raw_parts(a.data, n as usize), std::slice::from_raw_parts(b.data, n as usize));
    let mut s = 0.0;
    for i in 0..n as usize {
        s += x[i] * y[i];
    }
    *out = s;
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_matmul(a: ArrayF64, b: ArrayF64, out: *mut ArrayF64) -> i32 {
    let (n, k, m) = (a.shape[0] as usize, a.shape[1] as usize, b.shape[1] as usize);
    if (b.shape[0] as usize) < k || !contiguous2(&a.shape, &a.strides) || !contiguous2(&b.shape, &b.strides) {
        return 1;
    }
    let Some(c) = result_f64(out, n as i64, m as i64, 2, true) else { return 1 };
    let (aa, bb) = (std::slice::from_raw_parts(a.data, n * k), std::slice::from_raw_parts(b.data, k * m));
    for i in 0..n {
        let ci = &mut c[i * m..(i + 1) * m];
        for p in 0..k {
            let aip = aa[i * k + p];
            let bp = &bb[p * m..(p + 1) * m];
            for j in 0..m {
                ci[j] += aip * bp[j];
            }
        }
    }
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_diffusion(u: ArrayF64, steps: i64, out: *mut ArrayF64) -> i32 {
    let (n, m) = (u.shape[0] as usize, u.shape[1] as usize);
    if !contiguous2(&u.shape, &u.strides) {
        return 1;
    }
    let Some(a0) = result_f64(out, n as i64, m as i64, 2, false) else { return 1 };
    let src = std::slice::from_raw_parts(u.data, n * m);
    a0.copy_from_slice(src);
    // The scratch grid is kept between calls (see kernels/diffusion.c: a fresh one every call faults in pages).
    thread_local!(static SCRATCH: std::cell::RefCell<Vec<f64>> = std::cell::RefCell::new(Vec::new()));
    SCRATCH.with(|cell| {
    let mut b0 = cell.borrow_mut();
    b0.clear();
    b0.extend_from_slice(src);
    let (mut a, mut b): (&mut [f64], &mut [f64]) = (a0, &mut b0[..]);
    let mut swapped = false;
    for _ in 0..steps {
        for i in 1..n.saturating_sub(1) {
            for j in 1..m.saturating_sub(1) {
                let c = i * m + j;
                b[c] = a[c] + 0.1 * (a[c - m] + a[c + m] + a[c - 1] + a[c + 1] - 4.0 * a[c]);
            }
        }
        std::mem::swap(&mut a, &mut b);
        swapped = !swapped;
    }
    // The result is `a`; when it ended in the Vec, copy it into the malloc'd buffer the caller frees.
    if swapped {
        b.copy_from_slice(a);
    }
    });
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_histogram(x: ArrayF64, bins: i64, out: *mut ArrayI64) -> i32 {
    let n = x.shape[0] as usize;
    if bins < 0 || !contiguous1(&x.shape, &x.strides) {
        return 1;
    }
    let p = calloc(bins.max(1) as usize, 8) as *mut i64;
    if p.is_null() {
        return 1;
    }
    let counts = std::slice::from_raw_parts_mut(p, bins as usize);
    for &v in std::slice::from_raw_parts(x.data, n) {
        if v >= 0.0 && v < 1.0 {
            counts[(v * bins as f64) as usize] += 1;
        }
    }
    (*out).data = p;
    (*out).shape = [bins, 1, 1];
    (*out).strides = [1, 0, 0];
    0
}

#[no_mangle]
pub unsafe extern "C" fn ref_pairwise(p: ArrayF64, out: *mut ArrayF64) -> i32 {
    let (n, d) = (p.shape[0] as usize, p.shape[1] as usize);
    if !contiguous2(&p.shape, &p.strides) {
        return 1;
    }
    let Some(o) = result_f64(out, n as i64, n as i64, 2, false) else { return 1 };
    let pts = std::slice::from_raw_parts(p.data, n * d);
    for i in 0..n {
        for j in 0..n {
            let mut s = 0.0;
            for k in 0..d {
                let t = pts[i * d + k] - pts[j * d + k];
                s += t * t;
            }
            o[i * n + j] = s.sqrt();
        }
    }
    0
}

/// bench/kernels/key_sort.py::key_sort: a.tolist() (a copy), sorted() by the key -v (another copy, std's stable
/// sort comparing the keys), then the three items the Python reads.
#[no_mangle]
pub unsafe extern "C" fn ref_key_sort(a: ArrayF64, out: *mut f64) -> i32 {
    let n = a.shape[0];
    if n < 1 || !contiguous1(&a.shape, &a.strides) {
        return 1;
    }
    let list = std::slice::from_raw_parts(a.data, n as usize).to_vec();
    let mut xs = list.clone();
    xs.sort_by(|x, y| (-x).partial_cmp(&-y).unwrap_or(std::cmp::Ordering::Equal));
    *out = xs[0] - xs[xs.len() / 2] + xs[xs.len() - 1];
    0
}

/// bench/kernels/key_sort.py::plain_sort: the same without a key.
#[no_mangle]
pub unsafe extern "C" fn ref_plain_sort(a: ArrayF64, out: *mut f64) -> i32 {
    let n = a.shape[0];
    if n < 1 || !contiguous1(&a.shape, &a.strides) {
        return 1;
    }
    let list = std::slice::from_raw_parts(a.data, n as usize).to_vec();
    let mut xs = list.clone();
    xs.sort_by(|x, y| x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal));
    *out = xs[0] - xs[xs.len() / 2] + xs[xs.len() - 1];
    0
}

/// bench/kernels/closures.py: Simpson's rule over closures (a factory's Gaussian, and a Gaussian times a cosine
/// capturing the loop variable), generic over the integrand so each is a direct, inlined call.
fn simpson<F: Fn(f64) -> f64>(f: F, a: f64, b: f64, n: i64) -> f64 {
    let h = (b - a) / n as f64;
    let mut s = f(a) + f(b);
    for i in 1..n {
        s += (if i % 2 != 0 { 4.0 } else { 2.0 }) * f(a + i as f64 * h);
    }
    s * h / 3.0
}

#[no_mangle]
pub unsafe extern "C" fn ref_closure_integrals(n: i64, out: *mut f64) -> i32 {
    if n <= 0 {
        return 1;
    }
    let mut total = 0.0;
    for k in 1..9i64 {
        let w = k as f64 * 0.5;
        let g = move |x: f64| (-w * x * x).exp();
        total += simpson(g, 0.0, 2.0, n) + simpson(|x: f64| g(x) * (k as f64 * x).cos(), 0.0, 2.0, n);
    }
    *out = total;
    0
}
