/* Hand-written C reference for bench/kernels/raytrace.py (vectors and spheres as structs by value), in Kiln's
 * calling style. The same operations in the same order as the Python, so the same bits. */
#include <math.h>
#include <stdint.h>

typedef struct { double x, y, z; } vec;
typedef struct { vec c; double r, shade, mirror; } sphere;

static vec add(vec a, vec b) { return (vec){ a.x + b.x, a.y + b.y, a.z + b.z }; }
static vec sub(vec a, vec b) { return (vec){ a.x - b.x, a.y - b.y, a.z - b.z }; }
static vec scale(vec a, double k) { return (vec){ a.x * k, a.y * k, a.z * k }; }
static double dot(vec a, vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static vec norm(vec a) { return scale(a, 1.0 / sqrt(dot(a, a))); }

static const sphere SCENE[6] = {
  { { 0.0, -1000.0, 0.0 }, 999.0, 0.6, 0.0 },
  { { 0.0, 0.0, 4.0 }, 1.0, 0.9, 0.5 },
  { { -2.2, -0.3, 5.0 }, 0.7, 0.8, 0.0 },
  { { 2.0, -0.5, 3.5 }, 0.5, 0.7, 0.2 },
  { { 0.8, -0.7, 2.5 }, 0.3, 1.0, 0.0 },
  { { -0.9, 1.4, 6.0 }, 0.6, 0.5, 0.8 },
};
static const vec LIGHT = { -4.0, 6.0, -3.0 };

static double hit(const sphere *s, vec o, vec d) {
  vec oc = sub(o, s->c);
  double b = dot(oc, d), c = dot(oc, oc) - s->r * s->r, disc = b * b - c;
  if (disc < 0.0) return -1.0;
  double q = sqrt(disc), t = -b - q;
  if (t > 1e-6) return t;
  t = -b + q;
  return t > 1e-6 ? t : -1.0;
}

static int nearest(vec o, vec d) {
  int best = -1;
  double best_t = 1e30;
  for (int i = 0; i < 6; i++) {
    double t = hit(&SCENE[i], o, d);
    if (t > 0.0 && t < best_t) { best_t = t; best = i; }
  }
  return best;
}

static double trace(vec o, vec d, int depth) {
  int i = nearest(o, d);
  if (i < 0) return 0.1 + 0.2 * fmax(d.y, 0.0);
  const sphere *s = &SCENE[i];
  vec p = add(o, scale(d, hit(s, o, d)));
  vec n = scale(sub(p, s->c), 1.0 / s->r);
  vec to_light = norm(sub(LIGHT, p));
  double lit = 0.0;
  if (nearest(p, to_light) < 0) { double l = dot(n, to_light); lit = l > 0.0 ? l : 0.0; }
  double colour = s->shade * (0.15 + 0.85 * lit);
  if (s->mirror > 0.0 && depth > 0) {
    vec bounce = sub(d, scale(n, 2.0 * dot(d, n)));
    colour = colour * (1.0 - s->mirror) + s->mirror * trace(p, bounce, depth - 1);
  }
  return colour;
}

int ref_raytrace(int64_t w, int64_t h, double *out) {
  vec eye = { 0.0, 0.0, -1.0 };
  double total = 0.0;
  for (int64_t j = 0; j < h; j++) {
    for (int64_t i = 0; i < w; i++) {
      double x = ((double)i + 0.5) / (double)w * 2.0 - 1.0;
      double y = 1.0 - ((double)j + 0.5) / (double)h * 2.0;
      vec d = norm((vec){ x * (double)w / (double)h, y, 1.5 });
      total += trace(eye, d, 2);
    }
  }
  *out = total;
  return 0;
}
