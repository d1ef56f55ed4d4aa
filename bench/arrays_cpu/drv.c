#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kiln_array_kernels.h" /* generated: kiln compile bench/array_kernels.py --emit c */
static double now(void){ struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t); return t.tv_sec*1e9+t.tv_nsec; }
static unsigned long long sd=1;
static double rnd(void){ sd=(sd*1103515245ULL+12345ULL)%2147483648ULL; return sd/2147483648.0; }
static kiln_array_float64 mk(int nd,long n0,long n1){ kiln_array_float64 a; long n=n0*(nd>1?n1:1); a.data=malloc(n*8); for(long i=0;i<n;i++)a.data[i]=rnd();
 a.shape[0]=n0;a.shape[1]=nd>1?n1:1;a.shape[2]=1; if(nd==1){a.strides[0]=1;} else {a.strides[0]=n1;a.strides[1]=1;} a.strides[2]=1; return a;}
#define BENCH(name, reps, call, fre) { double best=1e30; for(int r=0;r<7;r++){ double t0=now(); for(int k=0;k<reps;k++){ call; fre; } double t=(now()-t0)/reps; if(t<best)best=t;} printf("%-10s %9.4f ms\n", name, best/1e6); }
int main(int argc,char**argv){
  const char*only=argc>1?argv[1]:"";
  kiln_array_float64 a1=mk(1,100000,0), b1=mk(1,100000,0); double d;
  kiln_array_float64 A=mk(2,120,120), B=mk(2,120,120), U=mk(2,200,200), X=mk(1,50000,0), W=mk(1,16,0), H=mk(1,200000,0), P=mk(2,200,3);
  kiln_array_float64 o; kiln_array_int64 oi;
  if(!*only||strstr(only,"dot")) BENCH("dot",200,kiln_dot(a1,b1,&d),(void)0);
  if(!*only||strstr(only,"matmul")) BENCH("matmul",20,kiln_matmul(A,B,&o),kiln_free(o.data));
  if(!*only||strstr(only,"diffusion")) BENCH("diffusion",5,kiln_diffusion(U,10,&o),kiln_free(o.data));
  if(!*only||strstr(only,"convolve")) BENCH("convolve",20,kiln_convolve(X,W,&o),kiln_free(o.data));
  if(!*only||strstr(only,"histogram")) BENCH("histogram",20,kiln_histogram(H,32,&oi),kiln_free(oi.data));
  if(!*only||strstr(only,"pairwise")) BENCH("pairwise",10,kiln_pairwise(P,&o),kiln_free(o.data));
  return 0;
}
